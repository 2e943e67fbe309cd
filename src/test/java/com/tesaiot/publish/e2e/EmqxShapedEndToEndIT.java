package com.tesaiot.publish.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.tesaiot.publish.devpki.DevelopmentPki;
import com.tesaiot.publish.devpki.IssuedCertificate;
import com.tesaiot.publish.devpki.KeyType;
import com.tesaiot.publish.devpki.PemFiles;
import com.tesaiot.publish.devpki.PrivateKeyFormat;
import com.tesaiot.publish.testing.brokers.EmqxShapedBroker;
import com.tesaiot.publish.testing.brokers.ReceivedConnect;
import com.tesaiot.publish.testing.brokers.ReceivedPublish;
import com.tesaiot.publish.testing.brokers.SameIdClient;
import com.tesaiot.publish.testing.tool.ToolRun;

/**
 * The tool against a broker that behaves as the platform's EMQX does (aedes behind a TLS server that requires a
 * client certificate, in a Node process; see {@code src/test/emqx-shaped}): client id = certificate CN or CONNACK 5,
 * a PUBLISH outside the device's topics closes the connection, a second connection with the same client id takes the
 * session over. "Nothing lost" and "nothing claimed" are judged by what the broker itself received.
 */
class EmqxShapedEndToEndIT {
    @RegisterExtension
    static final EmqxShapedBroker BROKER = EmqxShapedBroker.certificateOnly();

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"tlsv1.2", "tlsv1.3"})
    void publishesEveryReadingOverMutualTlsAndTheBrokerReceivesThemAll(String tlsVersion) throws Exception {
        String deviceId = "emqx-device-" + tlsVersion.replace('.', '-');
        Path bundle = BROKER.bundle(deviceId);

        ToolRun run = ToolRun.run("--certs-dir", bundle.toString(), "--count", "50", "--interval", "0",
                "--tls-version", tlsVersion, "--output", "json");

        assertEquals(0, run.exitCode(), run.err());
        JsonNode summary = JSON.readTree(run.out());
        assertEquals(50, summary.get("acknowledged").asLong(), run.out());
        List<ReceivedPublish> received = BROKER.process().awaitPublishesFrom(deviceId, 50, Duration.ofSeconds(5));
        // Exactly fifty: a reading sent twice would be counted twice here (payloads carry no id to tell).
        assertEquals(50, received.size());
        for (ReceivedPublish publish : received) {
            assertEquals("device/" + deviceId + "/telemetry", publish.topic());
            assertEquals(1, publish.qos());
            JsonNode payload = JSON.readTree(publish.payload());
            assertEquals(deviceId, payload.get("device_id").asText());
        }
        String protocol = tlsVersion.equals("tlsv1.2") ? "TLSv1.2" : "TLSv1.3";
        assertEquals(List.of(new ReceivedConnect(deviceId, null, false, deviceId, protocol, true)),
                BROKER.process().connectsOf(deviceId));
    }

    @Test
    void refusesAClientCertificateFromAnotherCaWithTheRefusalExitCode() throws Exception {
        Path bundle = BROKER.bundle("emqx-stranger");
        DevelopmentPki stranger = DevelopmentPki.create(KeyType.EC, Duration.ofDays(1));
        IssuedCertificate client = stranger.issueClient("emqx-stranger", KeyType.EC);
        PemFiles.writeCertificates(bundle.resolve("client_cert.pem"), client.certificate(), stranger.intermediate().certificate());
        PemFiles.writePrivateKey(bundle.resolve("client_key.pem"), client.privateKey(), PrivateKeyFormat.PKCS8, null);

        ToolRun run = ToolRun.run("--certs-dir", bundle.toString(), "--once");

        // Node's TLS server checks the chain after its handshake and closes without an alert; EMQX (Erlang's ssl)
        // alerts during the handshake: the tool names our certificate either way.
        run.assertFailsWithOneLine(4, "our client certificate");
        assertTrue(BROKER.process().connectsOf("emqx-stranger").isEmpty(), "no CONNECT got through");
    }

    @Test
    void aClientIdThatIsNotTheCertificatesCnIsRefusedWithTheRefusalExitCodeAndALineNamingIt() throws Exception {
        Path bundle = BROKER.bundle("emqx-cn-device");

        ToolRun run = ToolRun.run("--certs-dir", bundle.toString(), "--device-id", "emqx-not-the-cn", "--once");

        run.assertFailsWithOneLine(4, "refused to authorise client id 'emqx-not-the-cn' (CONNACK 5)");
        List<ReceivedConnect> connects = BROKER.process().connectsOf("emqx-not-the-cn");
        assertEquals(1, connects.size(), connects.toString());
        assertFalse(connects.get(0).accepted());
        assertEquals("emqx-cn-device", connects.get(0).certificateCommonName());
        assertTrue(BROKER.process().publishesFrom("emqx-not-the-cn").isEmpty());
    }

    /**
     * EMQX's ACL there has deny_action = disconnect: the PUBLISH is dropped and the connection closed. At QoS 0
     * nothing is ever acknowledged, so the closed connection is the only sign, and it must give the same verdict.
     */
    @ParameterizedTest(name = "QoS {0}")
    @ValueSource(ints = {1, 0})
    void aPublishToADeniedTopicEndsWithTheAclLineAndNotDeliveredAtEitherQos(int qos) throws Exception {
        String deviceId = "emqx-denied-qos" + qos;
        Path bundle = BROKER.bundle(deviceId);

        ToolRun run = ToolRun.run("--certs-dir", bundle.toString(), "--count", "5", "--interval", "0",
                "--qos", String.valueOf(qos), "--topic", "other/x", "--output", "json");

        run.assertFailsWithOneLine(1, "its ACL probably denies");
        assertTrue(run.errorLine().contains("closed the connection right after our PUBLISH to 'other/x'"), run.err());
        JsonNode summary = JSON.readTree(run.out());
        assertFalse(summary.get("ok").asBoolean(), run.out());
        assertEquals(0, summary.path("acknowledged").asLong(), run.out());
        assertTrue(BROKER.process().publishesFrom(deviceId).isEmpty(), "the broker accepted none");
        assertFalse(BROKER.process().denied().stream().noneMatch(d -> d.clientId().equals(deviceId)),
                "the broker saw and denied the PUBLISH");
    }

    @Test
    void aSecondClientTakingTheSessionOverIsNamedAndTheRunStopsWithItsOwnExitCode() throws Exception {
        String deviceId = "emqx-taken-over";
        Path bundle = BROKER.bundle(deviceId);

        ToolRun run;
        try (SameIdClient other = BROKER.sameIdClient(bundle, deviceId)) {
            run = ToolRun.run("--certs-dir", bundle.toString(), "--count", "40", "--interval", "0.1",
                    "--delivery-timeout", "5");
            assertTrue(other.connections() >= 2, "the other client took the session back at least once");
        }

        assertNotEquals(0, run.exitCode(), run.err());
        assertNotEquals(70, run.exitCode(), "a takeover is not a bug of ours: " + run.err());
        assertTrue(run.errorLine().contains("another client") && run.errorLine().contains(deviceId),
                "the line names the takeover: " + run.err());
        assertTrue(BROKER.process().takeoversOf(deviceId) >= 2, "each connection took the session from the other");
    }

    @Test
    void aFleetPublishesEveryDevicesReadingsAsItselfOnItsOwnTopic() throws Exception {
        int devices = 4;
        Path fleet = FleetDirectory.create(dir.resolve("fleet"), BROKER.pki(), BROKER.port(), devices);

        ToolRun run = ToolRun.run("fleet", "--bundles", fleet.toString(), "--count", "3", "--interval", "0.05",
                "--connect-rate", "100", "--output", "jsonl");

        assertEquals(0, run.exitCode(), run.err());
        FleetReports reports = FleetReports.of(run);
        assertEquals(devices * 3, reports.report().get("acknowledged").asInt(), run.out());
        assertEquals(devices, reports.deviceIds().size(), reports.deviceIds().toString());
        for (String id : reports.deviceIds()) {
            List<ReceivedPublish> received = BROKER.process().awaitPublishesFrom(id, 3, Duration.ofSeconds(5));
            assertEquals(3, received.size(), id + ": " + received);
            assertTrue(received.stream().allMatch(p -> p.topic().equals("device/" + id + "/telemetry")), received.toString());
            for (ReceivedPublish publish : received) {
                assertEquals(id, JSON.readTree(publish.payload()).get("device_id").asText());
            }
        }
    }

    @Test
    void aFleetWhoseTopicTheBrokerDeniesNamesTheCauseForItsDevices() throws Exception {
        Path fleet = FleetDirectory.create(dir.resolve("denied-fleet"), BROKER.pki(), BROKER.port(), 2);

        ToolRun run = ToolRun.run("fleet", "--bundles", fleet.toString(), "--count", "3", "--interval", "0.2",
                "--connect-rate", "100", "--topic", "other/{device_id}");

        run.assertFailsWithOneLine(1, "message(s) not acknowledged");
        assertTrue(run.err().contains("2 device(s) not delivered") && run.err().contains("its ACL probably denies"),
                "the fleet says why its devices delivered nothing: " + run.err());
    }

    @Test
    void checkPassesEveryStepAndItsTestMessageReachesTheBroker() throws Exception {
        String deviceId = "emqx-check-good";
        Path bundle = BROKER.bundle(deviceId);

        ToolRun run = ToolRun.run("check", "--certs-dir", bundle.toString(), "--publish-test");

        assertEquals(0, run.exitCode(), run.out() + run.err());
        assertTrue(run.out().contains("Ready: " + deviceId + " can publish to localhost:" + BROKER.port()), run.out());
        List<ReceivedPublish> received = BROKER.process().awaitPublishesFrom(deviceId, 1, Duration.ofSeconds(5));
        assertEquals(List.of("device/" + deviceId + "/telemetry"), received.stream().map(ReceivedPublish::topic).toList());
    }

    @Test
    void checkStopsAtTheMqttStepWhenTheClientIdIsNotTheCertificatesCn() throws Exception {
        Path bundle = BROKER.bundle("emqx-check-cn");

        ToolRun run = ToolRun.run("check", "--certs-dir", bundle.toString(), "--device-id", "emqx-check-other");

        assertEquals(4, run.exitCode(), run.out() + run.err());
        String failed = run.out().lines().filter(l -> l.startsWith("✗ ")).findFirst().orElse("");
        assertTrue(failed.matches("✗ +mqtt .*") && failed.contains("(CONNACK 5)"), run.out());
    }
}
