package com.tesaiot.publish.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.tesaiot.publish.devpki.DevelopmentPki;
import com.tesaiot.publish.devpki.DeviceBundle;
import com.tesaiot.publish.devpki.DeviceBundleWriter;
import com.tesaiot.publish.devpki.IssuedCertificate;
import com.tesaiot.publish.devpki.KeyType;
import com.tesaiot.publish.devpki.LocalBrokerWriter;
import com.tesaiot.publish.devpki.Pkcs12Stores;
import com.tesaiot.publish.devpki.PrivateKeyFormat;
import com.tesaiot.publish.testing.pki.ClientTls;
import com.tesaiot.publish.testing.brokers.TestMqttClient;
import com.tesaiot.publish.testing.tool.ToolRun;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.testcontainers.hivemq.HiveMQContainer;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The tool against HiveMQ CE in Docker, a broker in another process and another JVM, reached through a mapped
 * port. Skipped, and counted as skipped, where no Docker engine runs (our own machines); GitHub's Linux runners
 * run it.
 */
@Testcontainers(disabledWithoutDocker = true)
class HiveMqContainerEndToEndIT {
    private static final int TLS_PORT = 8883;
    private static final char[] STORE_PASSWORD = "changeit".toCharArray();
    private static final int READABLE = 0644;

    @TempDir
    static Path dir;
    private static DevelopmentPki pki;
    private static HiveMQContainer hivemq;

    @BeforeAll
    static void startBroker() throws Exception {
        pki = DevelopmentPki.create(KeyType.EC, java.time.Duration.ofDays(1));
        IssuedCertificate server = pki.issueServer(List.of("localhost", "127.0.0.1"), KeyType.EC);
        Pkcs12Stores.writeKeyStore(dir.resolve("server.p12"), server, List.of(pki.intermediate().certificate()), STORE_PASSWORD);
        Pkcs12Stores.writeTrustStore(dir.resolve("trust.p12"), List.of(pki.root().certificate()), STORE_PASSWORD);
        Files.writeString(dir.resolve("config.xml"), LocalBrokerWriter.hivemqConfig(TLS_PORT, "0.0.0.0", "/opt/hivemq/conf/server.p12",
                "/opt/hivemq/conf/trust.p12", STORE_PASSWORD));
        hivemq = new HiveMQContainer(DockerImageName.parse("hivemq/hivemq-ce:2025.5"))
                // Readable by the image's own (non-root) hivemq user, whatever this machine's umask made of them.
                .withHiveMQConfig(MountableFile.forHostPath(dir.resolve("config.xml"), READABLE))
                .withCopyFileToContainer(MountableFile.forHostPath(dir.resolve("server.p12"), READABLE), "/opt/hivemq/conf/server.p12")
                .withCopyFileToContainer(MountableFile.forHostPath(dir.resolve("trust.p12"), READABLE), "/opt/hivemq/conf/trust.p12")
                .withExposedPorts(TLS_PORT);
        hivemq.start();
    }

    @AfterAll
    static void stopBroker() {
        if (hivemq != null) {
            hivemq.stop();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"tlsv1.2", "tlsv1.3"})
    void publishesTenMessagesThatASubscriberReceives(String tlsVersion) throws Exception {
        String deviceId = "container-device-" + tlsVersion.replace('.', '-');
        String topic = "device/" + deviceId + "/telemetry";
        Path bundle = dir.resolve(deviceId);
        DeviceBundleWriter.write(bundle, DeviceBundle.of(deviceId, pki.issueClient(deviceId, KeyType.RSA), pki.caChain(),
                hivemq.getHost(), hivemq.getMappedPort(TLS_PORT)).withKeyFormat(PrivateKeyFormat.PKCS1_RSA, null));
        List<String> received = new CopyOnWriteArrayList<>();
        IssuedCertificate subscriberCert = pki.issueClient("subscriber", KeyType.EC);
        String uri = "ssl://" + hivemq.getHost() + ":" + hivemq.getMappedPort(TLS_PORT);

        try (TestMqttClient subscriber = TestMqttClient.connect(uri, "subscriber-" + tlsVersion,
                ClientTls.socketFactory(subscriberCert, List.of(pki.intermediate().certificate()),
                        List.of(pki.root().certificate()), "TLS"), null, null)) {
            subscriber.paho().subscribe(topic, 1, (t, message) -> received.add(new String(message.getPayload())));

            ToolRun run = ToolRun.run("--certs-dir", bundle.toString(), "--count", "10", "--interval", "0",
                    "--tls-version", tlsVersion);

            assertEquals(0, run.exitCode(), run.err());
            await().atMost(java.time.Duration.ofSeconds(10)).until(() -> received.size() >= 10);
        }
        assertEquals(10, received.size());
        for (String payload : received) {
            assertEquals(deviceId, new ObjectMapper().readTree(payload).get("device_id").asText());
        }
    }
}
