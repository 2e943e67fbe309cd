package com.tesaiot.publish.testing.brokers;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.awaitility.core.ConditionTimeoutException;
import org.opentest4j.TestAbortedException;

/**
 * A real mosquitto broker process with two mutual-TLS listeners on 127.0.0.1, for end-to-end tests where the
 * {@code mosquitto} binary is installed. Clients log in with their certificate alone: the CN becomes the user
 * name, and an ACL lets a device write only to {@code device/<its CN>/telemetry}. What the broker received and
 * forwarded is read back from its log, so a test can count at the broker, not only at a subscriber.
 */
public final class MosquittoProcess implements AutoCloseable {

    /** The PEM files of the broker's TLS identity, and the CA file it checks client certificates against. */
    public record ServerTls(Path caFile, Path certificateFile, Path keyFile) {
    }

    /** Which listener to reach: mosquitto 2.0's {@code tls_version} is a minimum, so only 1.3 can be forced. */
    public enum Listener {
        /** TLS 1.2 and 1.3, mosquitto's default. */
        TLS_1_2_AND_1_3(null),
        /** {@code tls_version tlsv1.3}: a client that offers only TLS 1.2 is refused. */
        TLS_1_3_ONLY("tlsv1.3");

        private final String tlsVersion;

        Listener(String tlsVersion) {
            this.tlsVersion = tlsVersion;
        }
    }

    /** A CONNECT the broker accepted: {@code userName} is the certificate's CN under use_identity_as_username. */
    public record LoggedConnect(String clientId, String userName) {
    }

    /** A PUBLISH the broker received from a client; {@code denied} when the ACL dropped it. */
    public record LoggedPublish(String clientId, String topic, int qos, boolean denied) {
    }

    /** A PUBLISH the broker forwarded to a subscriber. */
    public record LoggedDelivery(String subscriberId, String topic) {
    }

    /** Why a mosquitto test does not run here, and how to make it run. */
    public static final String NOT_INSTALLED = "mosquitto is not installed (looked in PATH and /usr/sbin): the"
            + " mosquitto end-to-end tests are skipped; install it with `apt-get install mosquitto`"
            + " (or `brew install mosquitto`)";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern CONNECTED = Pattern.compile(
            "New client connected from \\S+ as (\\S+) \\(p\\d+, c\\d, k\\d+(?:, u'([^']*)')?\\)");
    private static final Pattern PUBLISH_IN = Pattern.compile(
            "(Received|Denied) PUBLISH from (\\S+) \\(d\\d, q(\\d), r\\d, m\\d+, '([^']*)'");
    private static final Pattern PUBLISH_OUT = Pattern.compile(
            "Sending PUBLISH to (\\S+) \\(d\\d, q\\d, r\\d, m\\d+, '([^']*)'");

    private final Process process;
    private final Path logFile;
    private final int anyVersionPort;
    private final int tls13OnlyPort;

    private MosquittoProcess(Process process, Path logFile, int anyVersionPort, int tls13OnlyPort) {
        this.process = process;
        this.logFile = logFile;
        this.anyVersionPort = anyVersionPort;
        this.tls13OnlyPort = tls13OnlyPort;
    }

    /** The mosquitto binary on the PATH or in the usual sbin directories (Debian puts it in /usr/sbin). */
    public static Optional<Path> executable() {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
        dirs.addAll(List.of("/usr/sbin", "/usr/local/sbin", "/opt/homebrew/sbin"));
        return dirs.stream()
                .filter(dir -> !dir.isBlank())
                .flatMap(dir -> Stream.of(Path.of(dir, "mosquitto"), Path.of(dir, "mosquitto.exe")))
                .filter(Files::isExecutable)
                .findFirst();
    }

    /** True where the mosquitto binary is installed. */
    public static boolean installed() {
        return executable().isPresent();
    }

    /**
     * Writes {@code mosquitto.conf} and an ACL into {@code dir}, starts mosquitto and returns once both listeners
     * accept connections. Aborts the test where mosquitto is not installed: disable such tests up front
     * ({@link MosquittoBroker} does) so that the skip is reported.
     */
    public static MosquittoProcess start(Path dir, ServerTls tls, String subscriberUserName) throws IOException {
        Path binary = executable().orElseThrow(() -> new TestAbortedException(NOT_INSTALLED));
        Path acl = dir.resolve("acl");
        // %u is the user name, which use_identity_as_username makes the certificate's CN: a device may write only
        // its own topic, so a message on it proves the broker saw the right CN. The subscriber reads everything
        // and may write its fence topic.
        Files.writeString(acl, String.join("\n",
                "pattern write device/%u/telemetry",
                "user " + subscriberUserName,
                "topic read #",
                "topic write " + MosquittoSubscriber.FENCE_TOPIC_PREFIX + "#",
                ""), StandardCharsets.UTF_8);
        String lastOutput = "";
        // A free port can be taken between our probe and mosquitto's bind: then it exits, and we try new ports.
        for (int attempt = 1; attempt <= 3; attempt++) {
            int anyVersionPort = LoopbackPorts.free();
            int tls13OnlyPort = LoopbackPorts.free();
            Path logFile = dir.resolve("mosquitto-" + attempt + ".log");
            Path outFile = dir.resolve("mosquitto-" + attempt + ".out");
            Path config = dir.resolve("mosquitto.conf");
            Files.writeString(config, config(tls, acl, logFile, anyVersionPort, tls13OnlyPort), StandardCharsets.UTF_8);
            Process process = new ProcessBuilder(binary.toString(), "-c", config.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(outFile.toFile())
                    .start();
            MosquittoProcess broker = new MosquittoProcess(process, logFile, anyVersionPort, tls13OnlyPort);
            try {
                await("mosquitto to accept connections on ports " + anyVersionPort + " and " + tls13OnlyPort)
                        .atMost(START_TIMEOUT)
                        .pollInterval(Duration.ofMillis(20))
                        .until(() -> !process.isAlive() || LoopbackPorts.accepts(anyVersionPort) && LoopbackPorts.accepts(tls13OnlyPort));
            } catch (ConditionTimeoutException e) {
                broker.close();
                throw new IOException("mosquitto did not accept connections within " + START_TIMEOUT.toSeconds()
                        + " s; see " + outFile + " and " + logFile, e);
            }
            if (process.isAlive()) {
                return broker;
            }
            lastOutput = Files.readString(outFile) + broker.log();
        }
        throw new IOException("mosquitto exited at start-up, three times: " + lastOutput.strip());
    }

    private static String config(ServerTls tls, Path acl, Path logFile, int anyVersionPort, int tls13OnlyPort) {
        StringBuilder conf = new StringBuilder()
                // Run as root (as in some CI containers), mosquitto would switch to user "mosquitto", which cannot
                // read our files; naming the current user keeps it as it is. Ignored when not run as root.
                .append("user ").append(System.getProperty("user.name")).append('\n')
                .append("per_listener_settings false\n")
                // Certificate-only login: with use_identity_as_username the CN is the user name, so such a client
                // is not anonymous and no password file is needed (checked on 2.0.11).
                .append("allow_anonymous false\n")
                .append("acl_file ").append(acl).append('\n')
                .append("persistence false\n")
                // Without it mosquitto's small PUBACKs wait on Nagle's algorithm (about 40 ms each): only slower.
                .append("set_tcp_nodelay true\n")
                .append("log_dest file ").append(logFile).append('\n')
                .append("log_type all\n")
                .append("connection_messages true\n");
        for (Listener listener : Listener.values()) {
            int port = listener == Listener.TLS_1_3_ONLY ? tls13OnlyPort : anyVersionPort;
            conf.append("\nlistener ").append(port).append(" 127.0.0.1\n")
                    .append("cafile ").append(tls.caFile()).append('\n')
                    .append("certfile ").append(tls.certificateFile()).append('\n')
                    .append("keyfile ").append(tls.keyFile()).append('\n')
                    .append("require_certificate true\n")
                    .append("use_identity_as_username true\n");
            if (listener.tlsVersion != null) {
                conf.append("tls_version ").append(listener.tlsVersion).append('\n');
            }
        }
        return conf.toString();
    }

    /** The port of the listener that allows TLS 1.2 and 1.3. */
    public int port() {
        return anyVersionPort;
    }

    /** The port of {@code listener}. */
    public int port(Listener listener) {
        return listener == Listener.TLS_1_3_ONLY ? tls13OnlyPort : anyVersionPort;
    }

    /** The broker's whole log so far. */
    public String log() {
        try {
            return Files.exists(logFile) ? Files.readString(logFile, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every CONNECT the broker accepted, in order. */
    public List<LoggedConnect> connects() {
        List<LoggedConnect> connects = new ArrayList<>();
        Matcher m = CONNECTED.matcher(log());
        while (m.find()) {
            connects.add(new LoggedConnect(m.group(1), m.group(2)));
        }
        return connects;
    }

    /** Every PUBLISH the broker received from {@code clientId}, accepted or denied, in order. */
    public List<LoggedPublish> publishesFrom(String clientId) {
        List<LoggedPublish> publishes = new ArrayList<>();
        Matcher m = PUBLISH_IN.matcher(log());
        while (m.find()) {
            if (m.group(2).equals(clientId)) {
                publishes.add(new LoggedPublish(m.group(2), m.group(4), Integer.parseInt(m.group(3)),
                        m.group(1).equals("Denied")));
            }
        }
        return publishes;
    }

    /** Every PUBLISH the broker forwarded to a subscriber on {@code topic}. */
    public List<LoggedDelivery> deliveriesOn(String topic) {
        List<LoggedDelivery> deliveries = new ArrayList<>();
        Matcher m = PUBLISH_OUT.matcher(log());
        while (m.find()) {
            if (m.group(2).equals(topic)) {
                deliveries.add(new LoggedDelivery(m.group(1), m.group(2)));
            }
        }
        return deliveries;
    }

    @Override
    public void close() {
        Termination.terminate(process);
    }
}
