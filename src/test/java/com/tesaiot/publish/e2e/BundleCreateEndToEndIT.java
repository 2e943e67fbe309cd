package com.tesaiot.publish.e2e;

import com.tesaiot.publish.testing.brokers.LoopbackPorts;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.embedded.EmbeddedHiveMQ;
import com.tesaiot.publish.bundle.BundleLocation;
import com.tesaiot.publish.bundle.CredentialBundleReader;
import com.tesaiot.publish.tls.MutualTlsFactory;
import com.tesaiot.publish.tls.TlsVersion;
import com.tesaiot.publish.testing.brokers.TestMqttClient;
import com.tesaiot.publish.testing.tool.ToolRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What {@code bundle create} writes is all a broker needs: mosquitto started with only the generated
 * {@code mosquitto.conf}, and HiveMQ CE with only the generated {@code config.xml}, accept the generated bundle, and
 * a publish run and {@code check --publish-test} succeed against them.
 */
class BundleCreateEndToEndIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aCreatedBundlePublishesToAMosquittoStartedWithOnlyTheGeneratedConfig() throws Exception {
        Optional<Path> mosquitto = mosquittoBinary();
        assumeTrue(mosquitto.isPresent(), "mosquitto is not installed (looked in PATH and /usr/sbin): skipped;"
                + " install it with `apt-get install mosquitto`");
        int port = LoopbackPorts.free();
        Path bundle = dir.resolve("certs_credentials");
        assertEquals(0, ToolRun.run("bundle", "create", "--out", bundle.toString(), "--device-id", "dev-m",
                "--port", String.valueOf(port)).exitCode());

        Path log = dir.resolve("mosquitto.log");
        Process broker = new ProcessBuilder(mosquitto.get().toString(), "-c",
                bundle.resolve("broker/mosquitto.conf").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            await("mosquitto to listen on " + port).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                    .until(() -> !broker.isAlive() || LoopbackPorts.accepts(port));
            assertTrue(broker.isAlive(), () -> "mosquitto exited: " + read(log));

            assertRoundTrip(bundle, port, "dev-m");
            // use_identity_as_username: the broker took the certificate's CN as the user name.
            assertTrue(read(log).contains(" as dev-m (p2, c1, k60, u'dev-m')"), read(log));
        } finally {
            broker.destroy();
            if (!broker.waitFor(5, TimeUnit.SECONDS)) {
                broker.destroyForcibly();
            }
        }
    }

    @Test
    void aPlatformShapedZipFromBundleCreatePublishesToTheMosquittoItWasMadeFor() throws Exception {
        Optional<Path> mosquitto = mosquittoBinary();
        assumeTrue(mosquitto.isPresent(), "mosquitto is not installed (looked in PATH and /usr/sbin): skipped;"
                + " install it with `apt-get install mosquitto`");
        int port = LoopbackPorts.free();
        Path out = dir.resolve("download");
        assertEquals(0, ToolRun.run("bundle", "create", "--out", out.toString(), "--device-id", "dev-zip",
                "--layout", "platform", "--zip", "--port", String.valueOf(port)).exitCode());
        Path zip;
        try (Stream<Path> entries = Files.list(out)) {
            zip = entries.filter(p -> p.getFileName().toString().startsWith("dev-zip-mqtts-mtls-bundle-")).findFirst().orElseThrow();
        }

        Path log = dir.resolve("mosquitto-zip.log");
        Process broker = new ProcessBuilder(mosquitto.get().toString(), "-c", out.resolve("broker/mosquitto.conf").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            await("mosquitto to listen on " + port).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                    .until(() -> !broker.isAlive() || LoopbackPorts.accepts(port));
            assertTrue(broker.isAlive(), () -> "mosquitto exited: " + read(log));

            // The host and port come from the zip's nested endpoints.json: nothing else is given.
            assertRoundTrip(zip, port, "dev-zip");
        } finally {
            broker.destroy();
            if (!broker.waitFor(5, TimeUnit.SECONDS)) {
                broker.destroyForcibly();
            }
        }
    }

    @Test
    void aCreatedRsaBundlePublishesToAHiveMqStartedWithOnlyTheGeneratedConfigXml() throws Exception {
        int port = LoopbackPorts.free();
        Path bundle = dir.resolve("certs_credentials");
        assertEquals(0, ToolRun.run("bundle", "create", "--out", bundle.toString(), "--device-id", "dev-h",
                "--port", String.valueOf(port), "--key-type", "rsa").exitCode());

        try (EmbeddedHiveMQ hivemq = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(bundle.resolve("broker/hivemq"))
                .withDataFolder(Files.createDirectories(dir.resolve("hivemq-data")))
                .withExtensionsFolder(Files.createDirectories(dir.resolve("hivemq-extensions")))
                .withoutLoggingBootstrap()
                .build()) {
            hivemq.start().get(30, TimeUnit.SECONDS);
            assertRoundTrip(bundle, port, "dev-h");
            hivemq.stop().get(30, TimeUnit.SECONDS);
        }
    }

    /** A watcher with the bundle's own identity sees the published telemetry; check passes every step. */
    private static void assertRoundTrip(Path bundle, int port, String deviceId) throws Exception {
        Queue<String> seen = new ConcurrentLinkedQueue<>();
        try (TestMqttClient watcher = TestMqttClient.connect("ssl://localhost:" + port, "watcher", MutualTlsFactory.create(
                CredentialBundleReader.read(BundleLocation.at(bundle), Optional.empty()), TlsVersion.TLS_1_2,
                Optional.empty()).socketFactory(), null, null)) {
            watcher.paho().subscribe("device/+/telemetry", 1, (topic, message) -> seen.add(topic + " " + message));

            ToolRun publish = ToolRun.run("--certs-dir", bundle.toString(), "--count", "3", "--interval", "0");

            assertEquals(0, publish.exitCode(), publish.err());
            assertTrue(publish.summary().contains("Sent 3/3, acknowledged 3, failed 0"), publish.err());
            await("the watcher to see 3 messages").atMost(Duration.ofSeconds(5)).until(() -> seen.size() >= 3);
            for (String message : seen) {
                String topic = message.substring(0, message.indexOf(' '));
                assertEquals("device/" + deviceId + "/telemetry", topic);
                assertEquals(deviceId, JSON.readTree(message.substring(topic.length() + 1)).get("device_id").asText());
            }

            ToolRun check = ToolRun.run("check", "--certs-dir", bundle.toString(), "--publish-test");

            assertEquals(0, check.exitCode(), check.out() + check.err());
            List<String> steps = check.out().lines().filter(l -> l.startsWith("✓ ")).map(l -> l.split(" +")[1]).toList();
            assertEquals(List.of("bundle", "dns", "tcp", "tls", "mqtt", "publish"), steps, check.out());
            assertFalse(check.out().contains("✗") || check.out().contains("! "), check.out());
        }
    }

    private static Optional<Path> mosquittoBinary() {
        return Stream.concat(Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)),
                        Stream.of("/usr/sbin", "/usr/local/sbin", "/opt/homebrew/sbin"))
                .filter(d -> !d.isBlank())
                .map(d -> Path.of(d, "mosquitto"))
                .filter(Files::isExecutable)
                .findFirst();
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }
}
