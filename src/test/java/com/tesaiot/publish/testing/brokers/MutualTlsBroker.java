package com.tesaiot.publish.testing.brokers;

import com.tesaiot.publish.testing.pki.ClientTls;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;

import javax.net.ssl.SSLSocketFactory;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import com.tesaiot.publish.devpki.DevelopmentPki;
import com.tesaiot.publish.devpki.DeviceBundle;
import com.tesaiot.publish.devpki.DeviceBundleWriter;
import com.tesaiot.publish.devpki.IssuedCertificate;
import com.tesaiot.publish.devpki.KeyType;
import com.tesaiot.publish.devpki.LocalBrokerWriter;
import com.tesaiot.publish.devpki.Pkcs12Stores;
import com.tesaiot.publish.devpki.PrivateKeyFormat;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit 5 extension that runs an embedded HiveMQ CE broker for one test class: a TLS listener on 127.0.0.1 that
 * requires a client certificate from its own {@link DevelopmentPki}, and a record of every CONNECT and PUBLISH it
 * received. Optionally it applies the platform's rules ({@link Builder#requirePassword},
 * {@link Builder#disconnectOnTopic}).
 *
 * <pre>{@code
 * @RegisterExtension
 * static MutualTlsBroker broker = MutualTlsBroker.builder().requirePassword(id -> "key-" + id).build();
 * }</pre>
 */
public final class MutualTlsBroker implements BeforeAllCallback, AfterAllCallback {

    /** The host name bundles and clients use; the server certificate names it and 127.0.0.1. */
    public static final String HOST = "localhost";

    private static final char[] STORE_PASSWORD = "changeit".toCharArray();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final Function<String, String> apiKeyOfDevice;
    private final Predicate<String> deniedTopic;
    private final KeyType keyType;
    private final List<String> serverNames;
    private final Queue<ReceivedConnect> connects = new ConcurrentLinkedQueue<>();
    private final Queue<ReceivedPublish> publishes = new ConcurrentLinkedQueue<>();
    private final AtomicInteger bundles = new AtomicInteger();

    private Class<?> owner;
    private Path directory;
    private DevelopmentPki pki;
    private X509Certificate serverCertificate;
    private int port;
    private int instances;
    private EmbeddedHiveMQ hivemq;

    private MutualTlsBroker(Builder builder) {
        this.apiKeyOfDevice = builder.apiKeyOfDevice;
        this.deniedTopic = builder.deniedTopic;
        this.keyType = builder.keyType;
        this.serverNames = builder.serverNames;
    }

    /** A builder for a broker with no extra rules: any certificate the PKI issued may connect and publish. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        if (owner != null) {
            return; // a @Nested class shares its outer class's broker
        }
        owner = context.getRequiredTestClass();
        directory = Files.createTempDirectory("mutual-tls-broker-");
        pki = DevelopmentPki.create(keyType, Duration.ofDays(1));
        IssuedCertificate server = pki.issueServer(serverNames, keyType);
        serverCertificate = server.certificate();
        Path config = Files.createDirectories(directory.resolve("conf"));
        Files.createDirectories(directory.resolve("extensions"));
        // The server presents leaf + intermediate; it trusts the root only, so clients must send their intermediate.
        Pkcs12Stores.writeKeyStore(config.resolve("server.p12"), server, List.of(pki.intermediate().certificate()),
                STORE_PASSWORD);
        Pkcs12Stores.writeTrustStore(config.resolve("trust.p12"), List.of(pki.root().certificate()), STORE_PASSWORD);
        port = LoopbackPorts.free();
        Files.writeString(config.resolve("config.xml"), configXml(config), StandardCharsets.UTF_8);
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (context.getRequiredTestClass() != owner) {
            return;
        }
        try {
            stop();
        } finally {
            deleteRecursively(directory);
            owner = null;
        }
    }

    /** Starts a new broker instance on the same port, if none runs; what was recorded so far is kept. */
    public synchronized void start() throws InterruptedException, ExecutionException, TimeoutException {
        if (hivemq != null) {
            return;
        }
        instances++;
        EmbeddedHiveMQ started = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(directory.resolve("conf"))
                .withDataFolder(directory.resolve("data-" + instances))
                .withExtensionsFolder(directory.resolve("extensions"))
                .withEmbeddedExtension(EmbeddedExtension.builder()
                        .withId("platform-emulation")
                        .withName("Platform emulation")
                        .withVersion("1")
                        .withAuthor("tesaiot-publish tests")
                        .withPriority(0)
                        .withStartPriority(1000)
                        .withExtensionMain(new PlatformEmulation(connects, publishes, apiKeyOfDevice, deniedTopic))
                        .build())
                .withoutLoggingBootstrap()
                .build();
        try {
            started.start().get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            started.close();
            throw e;
        }
        hivemq = started;
    }

    /** Stops the running instance (about 4 s); a stopped HiveMQ cannot start again, so {@link #start} builds anew. */
    public synchronized void stop() throws InterruptedException, ExecutionException {
        if (hivemq == null) {
            return;
        }
        try {
            hivemq.stop().get();
        } finally {
            hivemq.close();
            hivemq = null;
        }
    }

    /** Stops the broker and starts a new instance on the same port: clients see a broker restart. */
    public void restart() throws InterruptedException, ExecutionException, TimeoutException {
        stop();
        start();
    }

    /** The TLS listener's port on 127.0.0.1 (and so on {@link #HOST}). */
    public int port() {
        return port;
    }

    /** {@code ssl://localhost:<port>}, for Paho. */
    public String serverUri() {
        return "ssl://" + HOST + ":" + port;
    }

    /** The PKI the broker trusts (its root) and whose intermediate signed the server certificate. */
    public DevelopmentPki pki() {
        return pki;
    }

    /** The certificate the broker presents: what the platform's download holds as mqtt-broker.pem. */
    public X509Certificate serverCertificate() {
        return serverCertificate;
    }

    /** The API key the broker expects from {@code deviceId}, or null when it requires no password. */
    public String apiKeyOf(String deviceId) {
        return apiKeyOfDevice == null ? null : apiKeyOfDevice.apply(deviceId);
    }

    /**
     * A bundle for {@code deviceId} with a fresh client certificate of {@code keyType} (CN = device id), this
     * broker's CA chain and endpoint, an unencrypted PKCS#8 key, and the API key when the broker wants one.
     */
    public DeviceBundle bundleFor(String deviceId, KeyType keyType) {
        return DeviceBundle.of(deviceId, pki.issueClient(deviceId, keyType), pki.caChain(), HOST, port)
                .withApiKey(apiKeyOf(deviceId));
    }

    /** Writes {@code bundle} into a new directory (removed after the class) and returns it. */
    public Path writeBundle(DeviceBundle bundle) throws IOException {
        Path dir = directory.resolve("bundles").resolve(bundle.deviceId() + "-" + bundles.incrementAndGet());
        DeviceBundleWriter.write(dir, bundle);
        return dir;
    }

    /** A bundle this broker accepts, as a device makes it: EC P-256 key in SEC1 form, API key when wanted. */
    public Path writeBundle(String deviceId) throws IOException {
        return writeBundle(bundleFor(deviceId, KeyType.EC).withKeyFormat(PrivateKeyFormat.SEC1_EC, null));
    }

    /** A bundle with the given key type and form; {@code apiKey} null writes no {@code api_key.txt}. */
    public Path writeBundle(String deviceId, KeyType keyType, PrivateKeyFormat keyFormat, char[] keyPassword,
            String apiKey) throws IOException {
        return writeBundle(bundleFor(deviceId, keyType).withKeyFormat(keyFormat, keyPassword).withApiKey(apiKey));
    }

    /**
     * A socket factory for a Paho test client that trusts this broker and presents {@code clientOrNull} with the
     * intermediate (null: no client certificate).
     */
    public SSLSocketFactory clientSocketFactory(IssuedCertificate clientOrNull) {
        return ClientTls.socketFactory(clientOrNull, List.of(pki.intermediate().certificate()),
                List.of(pki.root().certificate()), "TLS");
    }

    /** Every PUBLISH received since the start or the last {@link #clear}, in arrival order. */
    public List<ReceivedPublish> publishes() {
        return List.copyOf(publishes);
    }

    /** The received PUBLISHes on {@code topic}, in arrival order. */
    public List<ReceivedPublish> publishesOn(String topic) {
        return publishes.stream().filter(p -> p.topic().equals(topic)).toList();
    }

    /** Every CONNECT that passed the TLS handshake since the start or the last {@link #clear}, in order. */
    public List<ReceivedConnect> connects() {
        return List.copyOf(connects);
    }

    /** Waits until the broker has received at least {@code n} PUBLISHes and returns all of them. */
    public List<ReceivedPublish> awaitPublishes(int n, Duration timeout) {
        await("the broker to receive " + n + " PUBLISH packets").atMost(timeout).pollInterval(Duration.ofMillis(10))
                .until(publishes::size, size -> size >= n);
        return publishes();
    }

    /** Forgets what was recorded, e.g. between tests of one class. */
    public void clear() {
        connects.clear();
        publishes.clear();
    }

    private String configXml(Path config) {
        return LocalBrokerWriter.hivemqConfig(port, "127.0.0.1", config.resolve("server.p12").toString(),
                config.resolve("trust.p12").toString(), STORE_PASSWORD);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    /** Chooses the rules of a {@link MutualTlsBroker}. */
    public static final class Builder {
        private Function<String, String> apiKeyOfDevice;
        private Predicate<String> deniedTopic;
        private KeyType keyType = KeyType.EC;
        private List<String> serverNames = List.of(HOST, "127.0.0.1");

        private Builder() {
        }

        /**
         * Accept a CONNECT only with user name = client id = certificate CN and password = the device's API key, as
         * the platform's Community Edition does; otherwise CONNACK 4 (bad user name or password), or 5 (not
         * authorised) when the client id is not the certificate's CN.
         */
        public Builder requirePassword(Function<String, String> apiKeyOfDevice) {
            this.apiKeyOfDevice = Objects.requireNonNull(apiKeyOfDevice);
            return this;
        }

        /** Close the connection, without a PUBACK, of a client that publishes to a topic matching {@code denied}. */
        public Builder disconnectOnTopic(Predicate<String> denied) {
            this.deniedTopic = Objects.requireNonNull(denied);
            return this;
        }

        /** The key type of the PKI's CAs and of the server certificate (default EC). */
        public Builder keyType(KeyType keyType) {
            this.keyType = Objects.requireNonNull(keyType);
            return this;
        }

        /** The names in the server certificate (default localhost and 127.0.0.1): fewer, to test host-name checks. */
        public Builder serverNames(String... names) {
            this.serverNames = List.of(names);
            return this;
        }

        public MutualTlsBroker build() {
            return new MutualTlsBroker(this);
        }
    }
}
