package com.tesaiot.publish.e2e;

import static com.tesaiot.publish.e2e.DeliveredTelemetry.assertDelivered;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.tesaiot.publish.devpki.DeviceBundle;
import com.tesaiot.publish.devpki.KeyType;
import com.tesaiot.publish.testing.brokers.MosquittoBroker;
import com.tesaiot.publish.testing.tool.ToolRun;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The broker given as every MQTT command line tool takes it ({@code -h HOST -p PORT}, or {@code -L mqtts://...}),
 * against mosquitto. Each bundle's endpoints.json names a port where nothing listens, so a delivery proves the
 * command line's broker was the one used.
 */
class MqttCliConventionsEndToEndIT {

    @RegisterExtension
    static final MosquittoBroker BROKER = new MosquittoBroker();

    private static Path bundleAwayFromTheBroker(String deviceId) throws Exception {
        int nowhere;
        try (ServerSocket s = new ServerSocket(0)) {
            nowhere = s.getLocalPort();
        }
        return BROKER.bundle(DeviceBundle.of(deviceId, BROKER.pki().issueClient(deviceId, KeyType.EC),
                BROKER.pki().caChain(), "127.0.0.1", nowhere));
    }

    @Test
    void publishesOnceToTheHostPortAndTopicGivenAsMosquittoPubTakesThem() throws Exception {
        String deviceId = "cli-dash-h";
        Path bundle = bundleAwayFromTheBroker(deviceId);

        ToolRun run = ToolRun.run(Map.of(), "--certs-dir", bundle.toString(), "-h", "localhost",
                "-p", String.valueOf(BROKER.process().port()), "--topic", "device/" + deviceId + "/telemetry", "--once");

        assertEquals(0, run.exitCode(), run.err());
        assertDelivered(BROKER.process(), BROKER.subscriber(), deviceId, 1);
    }

    @Test
    void publishesOnceToTheBrokerAndTopicOfAnMqttsUrl() throws Exception {
        String deviceId = "cli-dash-l";
        Path bundle = bundleAwayFromTheBroker(deviceId);

        ToolRun run = ToolRun.run(Map.of(), "--certs-dir", bundle.toString(),
                "-L", "mqtts://localhost:" + BROKER.process().port() + "/device/" + deviceId + "/telemetry", "--once");

        assertEquals(0, run.exitCode(), run.err());
        assertDelivered(BROKER.process(), BROKER.subscriber(), deviceId, 1);
    }
}
