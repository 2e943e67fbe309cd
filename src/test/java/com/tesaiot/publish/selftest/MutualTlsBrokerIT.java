package com.tesaiot.publish.selftest;

import com.tesaiot.publish.testing.brokers.MutualTlsBroker;
import com.tesaiot.publish.testing.brokers.ReceivedConnect;
import com.tesaiot.publish.testing.brokers.ReceivedPublish;
import com.tesaiot.publish.testing.brokers.TestMqttClient;
import com.tesaiot.publish.testing.pki.ClientTls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.tesaiot.publish.devpki.DevelopmentPki;
import com.tesaiot.publish.devpki.IssuedCertificate;
import com.tesaiot.publish.devpki.KeyType;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MutualTlsBrokerIT {

    @RegisterExtension
    static MutualTlsBroker broker = MutualTlsBroker.builder().build();

    @BeforeEach
    void forgetEarlierTests() {
        broker.clear();
    }

    @Test
    void recordsThreeQos1PublishesFromAClientWithAValidCertificate() throws Exception {
        IssuedCertificate device = broker.pki().issueClient("dev-1", KeyType.EC);

        try (TestMqttClient client = TestMqttClient.connect(broker.serverUri(), "dev-1",
                broker.clientSocketFactory(device), null, null)) {
            for (int i = 1; i <= 3; i++) {
                client.publish("device/dev-1/telemetry", "{\"n\":" + i + "}", 1);
            }
        }

        List<ReceivedPublish> received = broker.awaitPublishes(3, Duration.ofSeconds(5));
        assertEquals(List.of("{\"n\":1}", "{\"n\":2}", "{\"n\":3}"),
                received.stream().map(ReceivedPublish::payloadText).toList());
        assertTrue(received.stream().allMatch(p -> p.clientId().equals("dev-1") && p.qos() == 1
                && p.topic().equals("device/dev-1/telemetry")), received::toString);
        assertEquals(List.of(new ReceivedConnect("dev-1", null, false, "dev-1", "TLSv1.3", true)),
                broker.connects());
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void acceptsTls12AndTls13(String protocol) throws Exception {
        DevelopmentPki pki = broker.pki();
        IssuedCertificate device = pki.issueClient("dev-rsa", KeyType.RSA);

        try (TestMqttClient client = TestMqttClient.connect(broker.serverUri(), "dev-rsa",
                ClientTls.socketFactory(device, List.of(pki.intermediate().certificate()),
                        List.of(pki.root().certificate()), protocol), null, null)) {
            client.publish("device/dev-rsa/telemetry", "{}", 1);
        }

        assertEquals(protocol, broker.connects().get(0).tlsProtocol());
        assertEquals(1, broker.publishesOn("device/dev-rsa/telemetry").size());
    }

    @Test
    void refusesAClientWithoutACertificate() {
        assertThrows(MqttException.class, () -> TestMqttClient.connect(broker.serverUri(), "anonymous",
                broker.clientSocketFactory(null), null, null));

        assertEquals(List.of(), broker.connects());
    }

    @Test
    void refusesAClientCertificateFromAnotherCa() {
        DevelopmentPki other = DevelopmentPki.create(KeyType.EC, Duration.ofDays(1));
        IssuedCertificate stranger = other.issueClient("dev-1", KeyType.EC);

        assertThrows(MqttException.class, () -> TestMqttClient.connect(broker.serverUri(), "dev-1",
                ClientTls.socketFactory(stranger, List.of(other.intermediate().certificate()),
                        List.of(broker.pki().root().certificate()), "TLS"), null, null));

        assertEquals(List.of(), broker.connects());
    }

    @Test
    void refusesAnExpiredClientCertificate() {
        IssuedCertificate expired = broker.pki().issueClient("dev-old", KeyType.EC,
                Instant.now().minus(Duration.ofDays(3)), Instant.now().minus(Duration.ofDays(1)));

        assertThrows(MqttException.class, () -> TestMqttClient.connect(broker.serverUri(), "dev-old",
                broker.clientSocketFactory(expired), null, null));

        assertEquals(List.of(), broker.connects());
    }

    @Test
    void writesABundleWhoseFilesConnectToThisBroker() throws Exception {
        Path bundle = broker.writeBundle("dev-bundle");

        assertEquals("dev-bundle\n", Files.readString(bundle.resolve("device_id.txt")));
        assertFalse(Files.exists(bundle.resolve("api_key.txt")), "this broker wants no password");
        Map<?, ?> endpoints = new ObjectMapper().readValue(bundle.resolve("endpoints.json").toFile(), Map.class);
        assertEquals(Map.of("mqtt_host", "localhost", "mqtt_mtls_port", broker.port()), endpoints);

        List<X509Certificate> certs = readCertificates(bundle.resolve("client_cert.pem"));
        PrivateKey key;
        try (PEMParser parser = new PEMParser(Files.newBufferedReader(bundle.resolve("client_key.pem")))) {
            key = new JcaPEMKeyConverter().getKeyPair((PEMKeyPair) parser.readObject()).getPrivate();
        }
        try (TestMqttClient client = TestMqttClient.connect(broker.serverUri(), "dev-bundle",
                ClientTls.socketFactory(new IssuedCertificate(certs.get(0), key), certs.subList(1, certs.size()),
                        readCertificates(bundle.resolve("ca-chain.pem")), "TLS"), null, null)) {
            client.publish("device/dev-bundle/telemetry", "{}", 1);
        }
        assertEquals("dev-bundle", broker.publishes().get(0).clientId());
    }

    @Test
    void aRestartedBrokerListensOnTheSamePortAndKeepsTheRecordings() throws Exception {
        IssuedCertificate device = broker.pki().issueClient("dev-r", KeyType.EC);
        try (TestMqttClient client = TestMqttClient.connect(broker.serverUri(), "dev-r",
                broker.clientSocketFactory(device), null, null)) {
            client.publish("device/dev-r/telemetry", "before", 1);

            broker.restart();

            assertFalse(client.isConnected());
        }
        try (TestMqttClient client = TestMqttClient.connect(broker.serverUri(), "dev-r",
                broker.clientSocketFactory(device), null, null)) {
            client.publish("device/dev-r/telemetry", "after", 1);
        }

        assertEquals(List.of("before", "after"),
                broker.publishes().stream().map(ReceivedPublish::payloadText).toList());
        assertNull(broker.connects().get(1).userName());
    }

    private static List<X509Certificate> readCertificates(Path file) throws Exception {
        List<X509Certificate> certs = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file); PEMParser parser = new PEMParser(reader)) {
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                certs.add(new JcaX509CertificateConverter().getCertificate((X509CertificateHolder) o));
            }
        }
        return certs;
    }
}
