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
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.awaitility.core.ConditionTimeoutException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The EMQX-shaped broker of {@code src/test/emqx-shaped/broker.mjs} as a process: aedes behind Node's TLS server,
 * which requires a client certificate and plays the platform's EMQX rules (client id = certificate CN, optionally
 * user name = client id and password = API key; a PUBLISH outside the device's topics closes the connection; a
 * second connection with the same client id takes the session over). The broker writes one JSON line per event
 * (connect, refusal, accepted or denied PUBLISH, takeover) to a file that this class reads, so tests count what the
 * broker received.
 */
public final class EmqxShapedProcess implements AutoCloseable {

    /** The PEM files of the broker's TLS identity, and the CA file it checks client certificates against. */
    public record ServerTls(Path caFile, Path certificateFile, Path keyFile) {
    }

    /** A PUBLISH the broker's ACL denied; it then closed the connection without acknowledging. */
    public record DeniedPublish(String clientId, String topic, int qos) {
    }

    /** The Node package of the broker, relative to the project's directory. */
    public static final Path PACKAGE = Path.of("src", "test", "emqx-shaped");

    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Path eventsFile;
    private final Path outputFile;
    private final int port;

    private EmqxShapedProcess(Process process, Path eventsFile, Path outputFile, int port) {
        this.process = process;
        this.eventsFile = eventsFile;
        this.outputFile = outputFile;
        this.port = port;
    }

    /** The project's directory: Maven's basedir, or the working directory where Maven starts the tests. */
    static Path packageDir() {
        return Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).resolve(PACKAGE);
    }

    /** The {@code node} binary on the PATH. */
    static Optional<Path> node() {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(dir -> !dir.isBlank())
                .flatMap(dir -> Stream.of(Path.of(dir, "node"), Path.of(dir, "node.exe")))
                .filter(Files::isExecutable)
                .findFirst();
    }

    /** Why the broker cannot run here (no node, or its package not installed), and how to fix that; empty if it can. */
    public static Optional<String> unavailable() {
        if (node().isEmpty()) {
            return Optional.of("node is not on the PATH: the EMQX-shaped broker tests are skipped; install Node.js 20"
                    + " or newer, then `npm ci --prefix " + PACKAGE + "`");
        }
        Path modules = packageDir().resolve("node_modules");
        if (!Files.isRegularFile(modules.resolve("aedes/package.json")) || !Files.isRegularFile(modules.resolve("mqtt/package.json"))) {
            return Optional.of("the EMQX-shaped broker's Node package is not installed: its tests are skipped; run"
                    + " `npm ci --prefix " + PACKAGE + "` (.ci/run does)");
        }
        return Optional.empty();
    }

    /**
     * Starts the broker on a free port of 127.0.0.1 (it binds port 0 and reports the port it got) and returns once
     * it listens. With {@code apiKeysOrNull} (a JSON object of device id to API key, read at every CONNECT) it also
     * requires user name = client id and password = that device's key.
     */
    public static EmqxShapedProcess start(Path dir, ServerTls tls, Path apiKeysOrNull) throws IOException {
        Path node = node().orElseThrow(() -> new IllegalStateException(unavailable().orElse("node missing")));
        Path eventsFile = Files.createTempFile(dir, "emqx-shaped-", ".jsonl");
        Path outputFile = Files.createTempFile(dir, "emqx-shaped-", ".out");
        List<String> command = new ArrayList<>(List.of(node.toString(), packageDir().resolve("broker.mjs").toString(),
                "--ca", tls.caFile().toString(), "--cert", tls.certificateFile().toString(),
                "--key", tls.keyFile().toString(), "--events", eventsFile.toString()));
        if (apiKeysOrNull != null) {
            command.addAll(List.of("--api-keys", apiKeysOrNull.toString()));
        }
        Process process = new ProcessBuilder(command)
                .directory(packageDir().toFile())
                .redirectErrorStream(true)
                .redirectOutput(outputFile.toFile())
                .start();
        try {
            await("the EMQX-shaped broker to listen").atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(20))
                    .until(() -> !process.isAlive() || listeningPort(eventsFile).isPresent());
        } catch (ConditionTimeoutException e) {
            process.destroyForcibly();
            throw new IOException("the EMQX-shaped broker did not listen within " + START_TIMEOUT.toSeconds()
                    + " s: " + Files.readString(outputFile), e);
        }
        if (!process.isAlive()) {
            throw new IOException("the EMQX-shaped broker exited at start-up (" + process.exitValue() + "): "
                    + Files.readString(outputFile).strip());
        }
        return new EmqxShapedProcess(process, eventsFile, outputFile, listeningPort(eventsFile).orElseThrow());
    }

    private static Optional<Integer> listeningPort(Path eventsFile) {
        return events(eventsFile).stream().filter(e -> e.path("event").asText().equals("listening"))
                .map(e -> e.get("port").asInt()).findFirst();
    }

    private static List<JsonNode> events(Path eventsFile) {
        try {
            String text = Files.readString(eventsFile, StandardCharsets.UTF_8);
            // A line is complete once its newline is written; a read may catch the broker mid-line.
            String complete = text.substring(0, text.lastIndexOf('\n') + 1);
            List<JsonNode> events = new ArrayList<>();
            for (String line : complete.split("\n")) {
                if (!line.isEmpty()) {
                    events.add(JSON.readTree(line));
                }
            }
            return events;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<JsonNode> events(String kind) {
        return events(eventsFile).stream().filter(e -> e.path("event").asText().equals(kind)).toList();
    }

    /** The port of the mutual-TLS listener (TLS 1.2 and 1.3). */
    public int port() {
        return port;
    }

    /** Every PUBLISH the broker accepted (and, at QoS 1, acknowledged), in order. */
    public List<ReceivedPublish> publishes() {
        return events("publish").stream().map(e -> new ReceivedPublish(e.get("clientId").asText(),
                e.get("topic").asText(), Base64.getDecoder().decode(e.get("payload").asText()), e.get("qos").asInt()))
                .toList();
    }

    /** Every PUBLISH the broker accepted from {@code clientId}, in order. */
    public List<ReceivedPublish> publishesFrom(String clientId) {
        return publishes().stream().filter(p -> p.clientId().equals(clientId)).toList();
    }

    /** Waits until the broker accepted at least {@code n} PUBLISH packets from {@code clientId}, and returns them. */
    public List<ReceivedPublish> awaitPublishesFrom(String clientId, int n, Duration timeout) {
        await("the broker to receive " + n + " PUBLISH from " + clientId).atMost(timeout)
                .pollInterval(Duration.ofMillis(20)).until(() -> publishesFrom(clientId).size() >= n);
        return publishesFrom(clientId);
    }

    /** Every CONNECT after a successful TLS handshake, accepted or refused, in order. */
    public List<ReceivedConnect> connects() {
        return events(eventsFile).stream().filter(e -> List.of("connected", "refused").contains(e.path("event").asText()))
                .map(e -> new ReceivedConnect(e.get("clientId").asText(), e.path("userName").textValue(),
                        e.path("passwordGiven").asBoolean(), e.path("cn").textValue(), e.path("tlsProtocol").textValue(),
                        e.get("event").asText().equals("connected")))
                .toList();
    }

    /** The CONNECTs of {@code clientId}, accepted or refused, in order. */
    public List<ReceivedConnect> connectsOf(String clientId) {
        return connects().stream().filter(c -> c.clientId().equals(clientId)).toList();
    }

    /** Every PUBLISH the ACL denied (each closed its connection), in order. */
    public List<DeniedPublish> denied() {
        return events("denied").stream().map(e -> new DeniedPublish(e.get("clientId").asText(), e.get("topic").asText(),
                e.get("qos").asInt())).toList();
    }

    /** How many times a connection with {@code clientId} took the session over from an earlier one. */
    public long takeoversOf(String clientId) {
        return events("takeover").stream().filter(e -> e.get("clientId").asText().equals(clientId)).count();
    }

    /** What the broker printed (its errors), for failure messages. */
    public String output() {
        try {
            return Files.readString(outputFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Kills the broker (SIGKILL): it closes nothing and acknowledges nothing more, as a crashed node would. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }

    /** Stops the broker (SIGTERM): it closes its clients' connections and exits. */
    @Override
    public void close() {
        Termination.terminate(process);
    }
}
