package com.tesaiot.publish.app;

import com.tesaiot.publish.Causes;
import com.tesaiot.publish.Failure;
import com.tesaiot.publish.bundle.BundleLayout;
import com.tesaiot.publish.bundle.Endpoint;
import com.tesaiot.publish.bundle.PemFile;
import com.tesaiot.publish.mqtt.ConnectionSettings;
import com.tesaiot.publish.mqtt.DeliveryListener;
import com.tesaiot.publish.mqtt.MqttPublisher;
import com.tesaiot.publish.mqtt.Topics;
import com.tesaiot.publish.mqtt.ProbeFailures;
import com.tesaiot.publish.report.CheckReport;
import com.tesaiot.publish.report.ConsoleLog;
import com.tesaiot.publish.telemetry.Scenario;
import com.tesaiot.publish.telemetry.TelemetryStream;
import com.tesaiot.publish.tls.PemReader;
import com.tesaiot.publish.tls.ServerCertificate;
import com.tesaiot.publish.tls.TlsProbe;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * One {@code check}: each step of a publish run done on its own and reported as it ends, so that a failure is
 * pinned to its step. Every failure is worded by the code that words it for a publish run.
 */
public final class CheckRun {
    /** A server certificate closer than this to its end is worth a warning: renewals get forgotten. */
    private static final Duration EXPIRY_WARNING = Duration.ofDays(30);
    private static final Duration MIN_ACK_WAIT = Duration.ofSeconds(10);

    private final DeviceCredentials credentials;
    private final BrokerSettings broker;
    private final boolean publishTest;
    private final String topic;
    private final CheckReport report;
    private final PrintWriter err;
    private final boolean verbose;
    private final FailureStatement statement;
    private final Clock clock = Clock.systemUTC();

    public CheckRun(DeviceCredentials credentials, BrokerSettings broker, boolean publishTest, Optional<String> topic,
            CheckReport report, PrintWriter err, boolean verbose, FailureStatement statement) {
        this.credentials = credentials;
        this.broker = broker;
        this.publishTest = publishTest;
        this.topic = topic.orElse(null);
        this.report = report;
        this.err = err;
        this.verbose = verbose;
        this.statement = statement;
    }

    /** Runs every step up to the first failure; returns the exit code the front end gives that failure, or 0. */
    public int execute() throws InterruptedException {
        String step = "bundle";
        try {
            PreparedConnection connection = bundle();
            Endpoint endpoint = connection.endpoint();
            ConnectionSettings settings = connection.settings(1, ackWait(connection));
            step = "dns";
            InetAddress address = dns(endpoint, settings);
            step = "tcp";
            Socket tcp = tcp(address, endpoint, settings);
            step = "tls";
            tls(tcp, address, connection, settings);
            step = "mqtt";
            Delivery delivery = new Delivery();
            try (MqttPublisher publisher = MqttPublisher.connect(settings, delivery)) {
                report.passed("mqtt", "CONNECT accepted: client id " + settings.clientId() + ", " + login(settings));
                if (publishTest) {
                    step = "publish";
                    publishOne(publisher, connection, delivery);
                }
            }
            report.finish(0, "Ready: " + connection.bundle().deviceId() + " can "
                    + (publishTest ? "publish" : "connect") + " to " + endpoint + ".");
            return 0;
        } catch (Failure f) {
            report.failed(step, statement.line(f));
            if (verbose) {
                f.printStackTrace(err);
                err.flush();
            }
            report.finish(statement.exitCode(f), null);
            return statement.exitCode(f);
        }
    }

    /** What we logged in with, never the password itself. */
    private static String login(ConnectionSettings settings) {
        String password = settings.password().isPresent() ? "a password" : "no password";
        return settings.userName().map(u -> "user name " + u + " and " + password)
                .orElse(settings.password().isPresent() ? "no user name and a password" : "no user name or password");
    }

    /** The publish run's preflight, with its warnings as lines of their own. */
    private PreparedConnection bundle() throws Failure {
        StringWriter warnings = new StringWriter();
        PreparedConnection connection;
        try {
            connection = PreparedConnection.prepare(credentials, broker,
                    new ConsoleLog(new PrintWriter(warnings), clock));
        } catch (Failure f) {
            reportWarnings(warnings);
            throw f;
        }
        X509Certificate certificate = connection.tls().clientCertificate();
        BundleLayout layout = connection.bundle().layout();
        report.passed("bundle", credentials.location().source()
                + (layout == BundleLayout.ORIGINAL ? "" : " (" + layout.description() + ")")
                + ": device " + connection.bundle().deviceId()
                + ", client certificate " + connection.tls().clientCommonName().map(cn -> "CN=" + cn).orElse("without CN")
                + " issued by " + certificate.getIssuerX500Principal().getName()
                + ", valid until " + certificate.getNotAfter().toInstant()
                + ", " + certificate.getPublicKey().getAlgorithm() + " key matching it");
        reportWarnings(warnings);
        return connection;
    }

    /** Preflight reports its findings only as log warnings: each captured line is one (prefix and all). */
    private void reportWarnings(StringWriter warnings) {
        warnings.toString().lines()
                .filter(line -> !line.isBlank())
                .map(line -> line.replaceFirst("^(\\[[^]]*] )?warning: ", ""))
                .forEach(line -> report.warned("bundle", line));
    }

    private InetAddress dns(Endpoint endpoint, ConnectionSettings settings) throws Failure {
        List<InetAddress> addresses;
        try {
            addresses = TlsProbe.resolve(endpoint.host());
        } catch (IOException e) {
            throw ProbeFailures.explain(e, settings);
        }
        String all = addresses.stream().map(InetAddress::getHostAddress).collect(Collectors.joining(", "));
        report.passed("dns", all.equals(endpoint.host()) ? endpoint.host() + " is an address: nothing to look up"
                : endpoint.host() + " resolves to " + all);
        // Paho, like the JDK, connects to the first address only.
        return addresses.get(0);
    }

    private Socket tcp(InetAddress address, Endpoint endpoint, ConnectionSettings settings) throws Failure {
        long start = System.nanoTime();
        try {
            Socket socket = TlsProbe.connect(address, endpoint.port(), settings.connectTimeout());
            report.passed("tcp", "connected to " + address.getHostAddress() + " port " + endpoint.port() + " in "
                    + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms");
            return socket;
        } catch (IOException e) {
            throw ProbeFailures.explain(e, settings);
        }
    }

    private void tls(Socket tcp, InetAddress address, PreparedConnection connection, ConnectionSettings settings)
            throws Failure {
        Endpoint endpoint = connection.endpoint();
        TlsProbe.Handshake handshake;
        long start = System.nanoTime();
        try {
            handshake = TlsProbe.handshake(tcp, settings.socketFactory(), endpoint.host(), endpoint.port(),
                    settings.verifyHostName(), settings.connectTimeout());
        } catch (IOException e) {
            Failure explained = ProbeFailures.explain(e, settings);
            // A server that did not answer has no certificate to show; one that did has, and within what is left of
            // the step's timeout: the step as a whole keeps to --connect-timeout.
            Duration left = settings.connectTimeout().minusNanos(System.nanoTime() - start);
            if (e instanceof SocketTimeoutException || left.isNegative() || left.isZero()) {
                throw explained;
            }
            // Which server answered, who issued its certificate and for which names: the facts the fix needs.
            Optional<String> presented = TlsProbe.observeServerChain(address, endpoint.host(), endpoint.port(),
                    connection.tls().version(), left)
                    .map(chain -> "; the server presented " + ServerCertificate.of(chain.get(0)).describe()
                            + expectedBroker(connection).map(expected -> chain.get(0).equals(expected)
                                    ? ", the certificate " + BundleLayout.BROKER_CERT + " names"
                                    : ", not the certificate " + BundleLayout.BROKER_CERT + " names").orElse(""));
            throw presented.map(explained::withDetail).orElse(explained);
        }
        ServerCertificate server = handshake.serverCertificate();
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("protocol", handshake.protocol());
        facts.put("cipher_suite", handshake.cipherSuite());
        facts.put("server_subject", server.subject());
        facts.put("server_issuer", server.issuer());
        facts.put("server_not_after", server.notAfter().toString());
        facts.put("server_names", String.join(", ", server.names()));
        List<String> warnings = new ArrayList<>();
        String bundlesBroker = compareWithBundlesBroker(connection, handshake.serverChain().get(0), facts, warnings);
        report.passed("tls", handshake.protocol() + " " + handshake.cipherSuite() + "; server certificate "
                + server.describe() + (handshake.clientCertificateSent() ? "; our client certificate accepted"
                        : "; the broker asked for no client certificate") + bundlesBroker, facts);
        warnings.forEach(warning -> report.warned("tls", warning));
        Instant now = clock.instant();
        if (server.notAfter().isBefore(now.plus(EXPIRY_WARNING))) {
            report.warned("tls", "the server certificate expires on " + server.notAfter() + ", in "
                    + Duration.between(now, server.notAfter()).toDays() + " day(s)");
        }
    }

    /**
     * Whether the broker presented the certificate of the bundle's mqtt-broker.pem, when the bundle has one: a
     * different one means a DNS entry, a proxy or the broker host given points at another server, even when that
     * server's certificate chains to the same CA. Recorded in {@code facts}; a clause for the tls line, or "".
     */
    private String compareWithBundlesBroker(PreparedConnection connection, X509Certificate presented,
            Map<String, String> facts, List<String> warnings) {
        Optional<PemFile> file = connection.bundle().brokerCertificate();
        if (file.isEmpty()) {
            return "";
        }
        Optional<X509Certificate> expected = expectedBroker(connection);
        if (expected.isEmpty()) {
            warnings.add(file.get() + " holds no readable certificate: cannot tell whether this is the platform's broker");
            return "";
        }
        boolean same = expected.get().equals(presented);
        facts.put("server_is_bundle_broker", Boolean.toString(same));
        if (!same) {
            warnings.add("the broker presented " + ServerCertificate.of(presented).subject() + ", not the certificate "
                    + file.get().name() + " names (" + ServerCertificate.of(expected.get()).subject()
                    + "): does a DNS entry, a proxy or the broker host given point at another server?");
            return "";
        }
        return "; it is the broker certificate " + file.get().name() + " names";
    }

    /** The certificate of the bundle's mqtt-broker.pem, when it has one that can be read. */
    private static Optional<X509Certificate> expectedBroker(PreparedConnection connection) {
        if (connection.bundle().brokerCertificate().isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(PemReader.certificates(connection.bundle().brokerCertificate().get()).get(0));
        } catch (Failure f) {
            return Optional.empty();
        }
    }

    /** As long as a connect may take, and at least 10 s: a broker busy enough to be slower is worth knowing about. */
    private static Duration ackWait(PreparedConnection connection) {
        Duration connect = connection.broker().connectTimeout();
        return connect.compareTo(MIN_ACK_WAIT) > 0 ? connect : MIN_ACK_WAIT;
    }

    private void publishOne(MqttPublisher publisher, PreparedConnection connection, Delivery delivery)
            throws Failure, InterruptedException {
        String deviceId = connection.bundle().deviceId();
        String target = topic != null ? topic : Topics.telemetryOf(deviceId);
        Topics.requirePublishable(target, topic != null);
        byte[] payload = new TelemetryStream(deviceId, Scenario.NORMAL, new SecureRandom().nextLong(), Duration.ofSeconds(5))
                .nextPayload(clock.instant());
        publisher.publish(target, payload, 1, 0);
        // The publisher settles the message within the delivery timeout: acknowledged, or given up (also when the
        // broker keeps closing the connection after it, as an ACL does); the extra second is a margin only.
        Duration wait = ackWait(connection).plusSeconds(1);
        boolean settled = delivery.settled.await(wait.toMillis(), TimeUnit.MILLISECONDS);
        if (delivery.latencyNanos.get() != null) {
            report.passed("publish", "1 telemetry message (" + payload.length + " bytes, QoS 1) on " + target
                    + " acknowledged in " + Duration.ofNanos(delivery.latencyNanos.get()).toMillis() + " ms");
            return;
        }
        Endpoint endpoint = connection.endpoint();
        if (publisher.gaveUp().isPresent()) {
            throw publisher.gaveUp().get();
        }
        Throwable cause = delivery.failure.get() != null ? delivery.failure.get() : publisher.lastConnectionLoss();
        throw new Failure(Failure.Kind.NOT_DELIVERED, "the message on '" + target + "' was not acknowledged by " + endpoint
                + (settled ? "" : " within " + wait.toSeconds() + " s")
                + (cause == null ? "" : ": " + Causes.describe(cause)), cause);
    }

    /** The fate of the one test message, told by Paho's callback thread. */
    private static final class Delivery implements DeliveryListener {
        final CountDownLatch settled = new CountDownLatch(1);
        final AtomicReference<Long> latencyNanos = new AtomicReference<>();
        final AtomicReference<Throwable> failure = new AtomicReference<>();

        @Override
        public void acknowledged(long sequence, long nanos) {
            latencyNanos.set(nanos);
            settled.countDown();
        }

        @Override
        public void written(long sequence) {
            // Sent at QoS 1: never told.
        }

        @Override
        public void failed(long sequence, Throwable cause) {
            failure.set(cause);
            settled.countDown();
        }
    }
}
