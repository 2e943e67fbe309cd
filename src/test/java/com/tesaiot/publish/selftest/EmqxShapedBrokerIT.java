package com.tesaiot.publish.selftest;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.tesaiot.publish.devpki.IssuedCertificate;
import com.tesaiot.publish.devpki.KeyType;
import com.tesaiot.publish.testing.brokers.EmqxShapedBroker;
import com.tesaiot.publish.testing.brokers.EmqxShapedProcess.DeniedPublish;
import com.tesaiot.publish.testing.brokers.TestMqttClient;
import com.tesaiot.publish.testing.pki.ClientTls;

/**
 * The EMQX-shaped broker's rules, checked with a plain Paho client rather than the tool, so that a fault of the
 * fixture is never taken for one of the tool.
 */
class EmqxShapedBrokerIT {
    @RegisterExtension
    static final EmqxShapedBroker BROKER = EmqxShapedBroker.certificateOnly();

    private static TestMqttClient connect(String commonName, String clientId) throws MqttException {
        IssuedCertificate certificate = BROKER.pki().issueClient(commonName, KeyType.EC);
        return TestMqttClient.connect("ssl://localhost:" + BROKER.port(), clientId,
                ClientTls.socketFactory(certificate, List.of(BROKER.pki().intermediate().certificate()),
                        List.of(BROKER.pki().root().certificate()), "TLS"), null, null);
    }

    @Test
    void acceptsEveryTopicShapeThePlatformAllowsAndRecordsEachPublish() throws Exception {
        List<String> allowed = List.of("device/self-1/telemetry", "devices/self-1/status", "self-1/self-1/events",
                "device/self-1/metrics/heart/rate");
        try (TestMqttClient client = connect("self-1", "self-1")) {
            for (String topic : allowed) {
                client.publish(topic, "{}", 1);
            }
            assertTrue(client.isConnected());
        }

        assertEquals(allowed, BROKER.process().publishesFrom("self-1").stream().map(p -> p.topic()).toList());
    }

    @Test
    void refusesAClientIdThatIsNotTheCertificatesCnAsNotAuthorised() {
        MqttException refused = assertThrows(MqttException.class, () -> connect("self-2", "self-2-other"));

        assertEquals(MqttException.REASON_CODE_NOT_AUTHORIZED, refused.getReasonCode()); // CONNACK 5
        assertFalse(BROKER.process().connectsOf("self-2-other").get(0).accepted());
    }

    @Test
    void closesTheConnectionOnAPublishOutsideTheDevicesTopicsWithoutAcknowledgingIt() throws Exception {
        try (TestMqttClient client = connect("self-3", "self-3")) {
            assertThrows(MqttException.class, () -> client.publish("device/someone-else/telemetry", "{}", 1));

            await().atMost(Duration.ofSeconds(5)).until(() -> !client.isConnected());
        }

        assertEquals(List.of(new DeniedPublish("self-3", "device/someone-else/telemetry", 1)),
                BROKER.process().denied().stream().filter(d -> d.clientId().equals("self-3")).toList());
        assertTrue(BROKER.process().publishesFrom("self-3").isEmpty());
    }

    @Test
    void aSecondConnectionWithTheSameClientIdTakesTheSessionOver() throws Exception {
        try (TestMqttClient first = connect("self-4", "self-4"); TestMqttClient second = connect("self-4", "self-4")) {
            await().atMost(Duration.ofSeconds(5)).until(() -> !first.isConnected());
            assertTrue(second.isConnected());
        }

        assertEquals(1, BROKER.process().takeoversOf("self-4"));
    }
}
