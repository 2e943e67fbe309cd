package com.tesaiot.publish.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.tesaiot.publish.devpki.DevelopmentPki;
import com.tesaiot.publish.devpki.DeviceBundle;
import com.tesaiot.publish.devpki.DeviceBundleWriter;
import com.tesaiot.publish.devpki.IssuedCertificate;
import com.tesaiot.publish.devpki.KeyType;
import com.tesaiot.publish.devpki.PemFiles;
import com.tesaiot.publish.devpki.PrivateKeyFormat;
import com.tesaiot.publish.testing.brokers.TestMqttClient;
import com.tesaiot.publish.testing.pki.ClientTls;
import com.tesaiot.publish.testing.tool.ToolRun;

/**
 * The tool against EMQX itself (the open-source image, the platform's broker), its SSL listener set as the
 * platform's is: {@code verify = verify_peer}, {@code fail_if_no_peer_cert = true}, TLS 1.2 and 1.3. The image's own
 * certificate files are replaced by the test PKI's, so the listener's configuration stays the image's but for those
 * two settings, given as EMQX's environment overrides. Skipped, and counted as skipped, where no Docker engine runs
 * (our own machines); GitHub's Linux runners run it.
 */
@Testcontainers(disabledWithoutDocker = true)
class EmqxContainerEndToEndIT {
    private static final DockerImageName IMAGE = DockerImageName.parse("emqx/emqx:5.8.9");
    private static final int TLS_PORT = 8883;
    private static final String CERTS = "/opt/emqx/etc/certs/";
    private static final int READABLE = 0644;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    private static DevelopmentPki pki;
    private static GenericContainer<?> emqx;

    @BeforeAll
    static void startBroker() throws Exception {
        pki = DevelopmentPki.create(KeyType.EC, Duration.ofDays(1));
        IssuedCertificate server = pki.issueServer(List.of("localhost", "127.0.0.1"), KeyType.EC);
        PemFiles.writeCertificates(dir.resolve("cacert.pem"), pki.root().certificate());
        PemFiles.writeCertificates(dir.resolve("cert.pem"), server.certificate(), pki.intermediate().certificate());
        PemFiles.writePrivateKey(dir.resolve("key.pem"), server.privateKey(), PrivateKeyFormat.PKCS8, null);
        emqx = new GenericContainer<>(IMAGE)
                .withEnv("EMQX_LISTENERS__SSL__DEFAULT__SSL_OPTIONS__VERIFY", "verify_peer")
                .withEnv("EMQX_LISTENERS__SSL__DEFAULT__SSL_OPTIONS__FAIL_IF_NO_PEER_CERT", "true")
                // The default SSL listener reads these three paths; readable by the image's own (non-root) user.
                .withCopyFileToContainer(MountableFile.forHostPath(dir.resolve("cacert.pem"), READABLE), CERTS + "cacert.pem")
                .withCopyFileToContainer(MountableFile.forHostPath(dir.resolve("cert.pem"), READABLE), CERTS + "cert.pem")
                .withCopyFileToContainer(MountableFile.forHostPath(dir.resolve("key.pem"), READABLE), CERTS + "key.pem")
                .withExposedPorts(TLS_PORT)
                .waitingFor(Wait.forLogMessage(".*is running now.*", 1).withStartupTimeout(Duration.ofMinutes(2)));
        emqx.start();
    }

    @AfterAll
    static void stopBroker() {
        if (emqx != null) {
            emqx.stop();
        }
    }

    private static Path bundle(String deviceId, IssuedCertificate client) throws Exception {
        Path bundle = dir.resolve(deviceId);
        DeviceBundleWriter.write(bundle, DeviceBundle.of(deviceId, client, pki.caChain(), emqx.getHost(),
                emqx.getMappedPort(TLS_PORT)));
        return bundle;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"tlsv1.2", "tlsv1.3"})
    void publishesTenReadingsOverMutualTlsThatASubscriberReceives(String tlsVersion) throws Exception {
        String deviceId = "emqx-container-" + tlsVersion.replace('.', '-');
        String topic = "device/" + deviceId + "/telemetry";
        Path bundle = bundle(deviceId, pki.issueClient(deviceId, KeyType.EC));
        List<String> received = new CopyOnWriteArrayList<>();
        String uri = "ssl://" + emqx.getHost() + ":" + emqx.getMappedPort(TLS_PORT);

        try (TestMqttClient subscriber = TestMqttClient.connect(uri, "subscriber-" + tlsVersion,
                ClientTls.socketFactory(pki.issueClient("subscriber-" + tlsVersion, KeyType.EC),
                        List.of(pki.intermediate().certificate()), List.of(pki.root().certificate()), "TLS"), null, null)) {
            subscriber.paho().subscribe(topic, 1, (t, message) -> received.add(new String(message.getPayload())));

            ToolRun run = ToolRun.run("--certs-dir", bundle.toString(), "--count", "10", "--interval", "0",
                    "--tls-version", tlsVersion);

            assertEquals(0, run.exitCode(), run.err());
            await().atMost(Duration.ofSeconds(10)).until(() -> received.size() >= 10);
        }
        assertEquals(10, received.size());
        for (String payload : received) {
            assertEquals(deviceId, JSON.readTree(payload).get("device_id").asText());
        }
    }

    @Test
    void refusesAClientCertificateFromAnotherCaWithTheRefusalExitCode() throws Exception {
        DevelopmentPki stranger = DevelopmentPki.create(KeyType.EC, Duration.ofDays(1));
        Path bundle = bundle("emqx-container-stranger", stranger.issueClient("emqx-container-stranger", KeyType.EC));

        ToolRun run = ToolRun.run("--certs-dir", bundle.toString(), "--once");

        run.assertFailsWithOneLine(4, "our client certificate");
    }
}
