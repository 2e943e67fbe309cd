package com.tesaiot.publish.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.tesaiot.publish.testing.brokers.EmqxShapedBroker;
import com.tesaiot.publish.testing.brokers.ReceivedConnect;
import com.tesaiot.publish.testing.tool.ToolRun;

/**
 * The EMQX-shaped broker with the Community Edition's authentication webhook played: user name = client id (= CN)
 * and password = the device's API key. EMQX's HTTP authenticator turns the webhook's "deny" into not_authorized,
 * which an MQTT 3.1.1 client sees as CONNACK 5, not 4.
 */
class EmqxShapedApiKeyEndToEndIT {
    @RegisterExtension
    static final EmqxShapedBroker BROKER = EmqxShapedBroker.withApiKeys();

    @Test
    void sendsTheDeviceIdAndTheBundlesApiKeyAndEveryReadingArrives() throws Exception {
        String deviceId = "emqx-key-device";
        Path bundle = BROKER.bundle(deviceId);

        ToolRun run = ToolRun.run("--certs-dir", bundle.toString(), "--count", "5", "--interval", "0");

        assertEquals(0, run.exitCode(), run.err());
        assertEquals(5, BROKER.process().awaitPublishesFrom(deviceId, 5, Duration.ofSeconds(5)).size());
        List<ReceivedConnect> connects = BROKER.process().connectsOf(deviceId);
        assertEquals(1, connects.size(), connects.toString());
        assertEquals(deviceId, connects.get(0).userName());
        assertTrue(connects.get(0).passwordGiven());
        assertFalse(run.err().contains(BROKER.apiKeyOf(deviceId)), "the API key is never printed");
    }

    @Test
    void aWrongApiKeyIsRefusedAsNotAuthorisedWithoutPrintingIt() throws Exception {
        String deviceId = "emqx-wrong-key";
        Path bundle = BROKER.bundle(deviceId);

        ToolRun run = ToolRun.run(Map.of("MQTT_PASSWORD", "not-the-key"), "--certs-dir", bundle.toString(), "--once");

        run.assertFailsWithOneLine(4, "(CONNACK 5)");
        assertFalse(run.err().contains("not-the-key"), run.err());
        assertTrue(BROKER.process().publishesFrom(deviceId).isEmpty());
    }

    @Test
    void aBundleWithoutApiKeyIsRefusedAsNotAuthorised() throws Exception {
        String deviceId = "emqx-no-key";
        Path bundle = BROKER.bundle(deviceId);
        Files.delete(bundle.resolve("api_key.txt"));

        ToolRun run = ToolRun.run("--certs-dir", bundle.toString(), "--once");

        run.assertFailsWithOneLine(4, "(CONNACK 5)");
        ReceivedConnect refused = BROKER.process().connectsOf(deviceId).get(0);
        assertFalse(refused.accepted());
        assertFalse(refused.passwordGiven());
    }
}
