package com.tesaiot.publish.e2e;

import com.tesaiot.publish.testing.brokers.MutualTlsBroker;
import com.tesaiot.publish.testing.brokers.ReceivedConnect;
import com.tesaiot.publish.testing.tool.ToolRun;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Against a broker with the platform's Community Edition rules (EMQX): user name = client id = certificate CN and
 * password = API key, and an ACL that disconnects a client publishing where it may not. Its certificate names
 * only "localhost", so connecting by 127.0.0.1 tests the host-name check.
 */
class PlatformRulesEndToEndIT {
    @RegisterExtension
    static MutualTlsBroker broker = MutualTlsBroker.builder()
            .requirePassword(deviceId -> "api-key-of-" + deviceId)
            .disconnectOnTopic(topic -> !topic.matches("device/[^/]+/telemetry"))
            .serverNames(MutualTlsBroker.HOST)
            .build();

    @BeforeEach
    void forgetEarlierTests() {
        broker.clear();
    }

    @Test
    void sendsTheDeviceIdAndApiKeyWhenTheBundleHasOne() throws Exception {
        Path bundle = broker.writeBundle("device-1");
        assertTrue(Files.exists(bundle.resolve("api_key.txt")));

        ToolRun run = ToolRun.run("--certs-dir", bundle.toString(), "--count", "3", "--interval", "0");

        assertEquals(0, run.exitCode(), run.err());
        assertEquals(3, broker.awaitPublishes(3, Duration.ofSeconds(5)).size());
        ReceivedConnect connect = broker.connects().get(0);
        assertEquals("device-1", connect.userName());
        assertTrue(connect.passwordGiven());
        assertFalse(run.err().contains("api-key-of-device-1"), "the API key is never printed");
    }

    @Test
    void aBundleWithoutApiKeyIsRefusedWithTheReasonAndTheFix() throws Exception {
        Path bundle = broker.writeBundle("device-2");
        Files.delete(bundle.resolve("api_key.txt"));

        ToolRun run = ToolRun.run("--certs-dir", bundle.toString(), "--once");

        run.assertFailsWithOneLine(4, "CONNACK 4");
        assertTrue(run.err().contains("the bundle has no api_key.txt"), run.err());
        assertTrue(broker.publishes().isEmpty());
    }

    @Test
    void aWrongPasswordIsRefusedWithoutPrintingIt() throws Exception {
        Path bundle = broker.writeBundle("device-3");

        ToolRun run = ToolRun.run(Map.of("MQTT_PASSWORD", "not-the-key"), "--certs-dir", bundle.toString(), "--once");

        run.assertFailsWithOneLine(4, "refused the user name or password (CONNACK 4)");
        assertFalse(run.err().contains("not-the-key"));
    }

    @Test
    void aDisconnectRightAfterPublishingIsReportedAsNotDelivered() throws Exception {
        Path bundle = broker.writeBundle("device-4");

        ToolRun run = ToolRun.run("--certs-dir", bundle.toString(), "--once", "--topic", "device/someone-else/commands");

        run.assertFailsWithOneLine(1, "closed the connection right after our PUBLISH to 'device/someone-else/commands', every time and before acknowledging any: its ACL probably denies");
        assertTrue(run.summary().contains("acknowledged 0, failed 1"), run.err());
    }

    @Test
    void atQosZeroADisconnectRightAfterEachPublishGetsTheSameVerdictAsAtQosOne() throws Exception {
        Path bundle = broker.writeBundle("device-7");

        ToolRun run = ToolRun.run("--certs-dir", bundle.toString(), "--qos", "0", "--count", "10", "--interval", "0.2",
                "--topic", "device/someone-else/commands");

        run.assertFailsWithOneLine(1, "closed the connection right after our PUBLISH to 'device/someone-else/commands', every time and before acknowledging any: its ACL probably denies");
        assertFalse(run.summary().contains("failed 0"), "QoS 0 written to a closing connection is no success: " + run.err());
    }

    @Test
    void atQosZeroReadingsAreCountedAsWrittenNeverAsAcknowledged() throws Exception {
        Path bundle = broker.writeBundle("device-8");

        ToolRun run = ToolRun.run("--certs-dir", bundle.toString(), "--qos", "0", "--count", "5", "--interval", "0",
                "--output", "jsonl");

        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.summary().contains("Sent 5/5 at QoS 0 (not acknowledged by design), failed 0"), run.err());
        assertEquals(5, run.outLines().stream().filter(l -> l.contains("\"status\":\"sent_unacknowledged\"")).count(), run.out());
        assertTrue(run.outLines().stream().filter(l -> l.contains("\"status\""))
                .noneMatch(l -> l.contains("\"acknowledged\"")), run.out());
        assertEquals(5, broker.awaitPublishes(5, Duration.ofSeconds(5)).size());
    }

    @Test
    void refusesAServerCertificateThatDoesNotNameTheHost() throws Exception {
        Path bundle = broker.writeBundle("device-5");

        ToolRun run = ToolRun.run("--certs-dir", bundle.toString(), "--once", "--broker-host", "127.0.0.1");

        run.assertFailsWithOneLine(4, "is not issued for host '127.0.0.1'");
        assertTrue(broker.connects().isEmpty());
    }

    @Test
    void insecureSkipsOnlyTheHostNameCheckAndSaysSo() throws Exception {
        Path bundle = broker.writeBundle("device-6");

        ToolRun run = ToolRun.run("--certs-dir", bundle.toString(), "--once", "--broker-host", "127.0.0.1", "--insecure");

        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.err().contains("warning: --insecure"), run.err());
    }
}
