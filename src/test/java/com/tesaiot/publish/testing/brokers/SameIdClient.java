package com.tesaiot.publish.testing.brokers;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.awaitility.core.ConditionTimeoutException;

/**
 * A second process of the same device ({@code src/test/emqx-shaped/same-id-client.mjs}, an MQTT.js client): it
 * connects with the device's certificate and client id, and reconnects 100 ms after each loss, so that while it
 * runs every other connection with that id is taken over again and again.
 */
public final class SameIdClient implements AutoCloseable {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(15);

    private final Process process;
    private final Path outputFile;

    private SameIdClient(Process process, Path outputFile) {
        this.process = process;
        this.outputFile = outputFile;
    }

    static SameIdClient start(Path dir, int port, Path bundleDir, String clientId) throws IOException {
        Path outputFile = Files.createTempFile(dir, "same-id-client-", ".out");
        Process process = new ProcessBuilder(EmqxShapedProcess.node().orElseThrow().toString(),
                EmqxShapedProcess.packageDir().resolve("same-id-client.mjs").toString(),
                "--port", String.valueOf(port), "--certs-dir", bundleDir.toString(), "--client-id", clientId)
                .directory(EmqxShapedProcess.packageDir().toFile())
                .redirectErrorStream(true)
                .redirectOutput(outputFile.toFile())
                .start();
        SameIdClient client = new SameIdClient(process, outputFile);
        try {
            await("the second client with id " + clientId + " to connect").atMost(CONNECT_TIMEOUT)
                    .pollInterval(Duration.ofMillis(20)).until(() -> !process.isAlive() || client.connections() > 0);
        } catch (ConditionTimeoutException e) {
            client.close();
            throw new IOException("the second client did not connect within " + CONNECT_TIMEOUT.toSeconds() + " s: "
                    + client.output(), e);
        }
        if (!process.isAlive()) {
            throw new IOException("the second client exited: " + client.output());
        }
        return client;
    }

    /** How many times it has connected (CONNACK received) so far. */
    public long connections() {
        return output().lines().filter(line -> line.equals("connected")).count();
    }

    private String output() {
        try {
            return Files.readString(outputFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        Termination.terminate(process);
    }
}
