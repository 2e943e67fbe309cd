package com.tesaiot.publish.selftest;

import com.tesaiot.publish.testing.brokers.MutualTlsBroker;
import com.tesaiot.publish.testing.brokers.ReceivedConnect;
import com.tesaiot.publish.testing.brokers.ReceivedPublish;
import com.tesaiot.publish.testing.brokers.TestMqttClient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.tesaiot.publish.devpki.IssuedCertificate;
import com.tesaiot.publish.devpki.KeyType;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The broker emulating the platform's EMQX: password = API key, identity = certificate CN, ACL disconnects. */
class MutualTlsBrokerPlatformRulesIT {

    @RegisterExtension
    static MutualTlsBroker broker = MutualTlsBroker.builder()
            .requirePassword(deviceId -> "api-key-of-" + deviceId)
            .disconnectOnTopic(topic -> topic.endsWith("/denied"))
            .build();

    @BeforeEach
    void forgetEarlierTests() {
        broker.clear();
    }

    @Test
    void acceptsUserNameEqualToClientIdAndCertificateCnWithTheApiKeyAsPassword() throws Exception {
        try (TestMqttClient client = connect("dev-1", "dev-1", "dev-1", "api-key-of-dev-1")) {
            client.publish("device/dev-1/telemetry", "{}", 1);
        }

        assertEquals(List.of(new ReceivedConnect("dev-1", "dev-1", true, "dev-1", "TLSv1.3", true)),
                broker.connects());
        assertEquals(1, broker.publishesOn("device/dev-1/telemetry").size());
    }

    @Test
    void refusesACertificateOnlyConnectWithBadUserNameOrPassword() {
        MqttException refused = assertThrows(MqttException.class, () -> connect("dev-1", "dev-1", null, null));

        assertEquals(MqttException.REASON_CODE_FAILED_AUTHENTICATION, refused.getReasonCode()); // CONNACK 4
        assertEquals(List.of(new ReceivedConnect("dev-1", null, false, "dev-1", "TLSv1.3", false)),
                broker.connects());
    }

    @Test
    void refusesAWrongApiKeyWithBadUserNameOrPassword() {
        MqttException refused = assertThrows(MqttException.class,
                () -> connect("dev-1", "dev-1", "dev-1", "api-key-of-someone-else"));

        assertEquals(MqttException.REASON_CODE_FAILED_AUTHENTICATION, refused.getReasonCode());
    }

    @Test
    void refusesAClientIdThatIsNotTheCertificatesCnAsNotAuthorised() {
        MqttException refused = assertThrows(MqttException.class,
                () -> connect("dev-1", "dev-2", "dev-2", "api-key-of-dev-2"));

        assertEquals(MqttException.REASON_CODE_NOT_AUTHORIZED, refused.getReasonCode()); // CONNACK 5
    }

    @Test
    void disconnectsAClientThatPublishesToADeniedTopicWithoutAcknowledgingIt() throws Exception {
        try (TestMqttClient client = connect("dev-1", "dev-1", "dev-1", "api-key-of-dev-1")) {
            client.publish("device/dev-1/telemetry", "allowed", 1);

            MqttException dropped = assertThrows(MqttException.class,
                    () -> client.publish("device/dev-1/denied", "denied", 1));

            assertEquals(MqttException.REASON_CODE_CONNECTION_LOST, dropped.getReasonCode());
            assertFalse(client.isConnected());
        }
        assertEquals(List.of("device/dev-1/telemetry", "device/dev-1/denied"),
                broker.publishes().stream().map(ReceivedPublish::topic).toList());
    }

    @Test
    void bundlesForThisBrokerCarryTheDevicesApiKey() throws Exception {
        Path bundle = broker.writeBundle("dev-7");

        assertEquals("api-key-of-dev-7", Files.readString(bundle.resolve("api_key.txt")).strip());
    }

    private static TestMqttClient connect(String commonName, String clientId, String userName, String password)
            throws MqttException {
        IssuedCertificate device = broker.pki().issueClient(commonName, KeyType.EC);
        return TestMqttClient.connect(broker.serverUri(), clientId, broker.clientSocketFactory(device), userName,
                password);
    }
}
