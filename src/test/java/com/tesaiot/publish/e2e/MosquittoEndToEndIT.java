package com.tesaiot.publish.e2e;


import com.tesaiot.publish.testing.tool.ToolRun;
import static com.tesaiot.publish.testing.tool.ToolRun.run;
import static com.tesaiot.publish.e2e.DeliveredTelemetry.assertDelivered;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import com.tesaiot.publish.devpki.DevelopmentPki;
import com.tesaiot.publish.devpki.DeviceBundle;
import com.tesaiot.publish.devpki.KeyType;
import com.tesaiot.publish.devpki.PrivateKeyFormat;
import com.tesaiot.publish.testing.brokers.MosquittoBroker;
import com.tesaiot.publish.testing.brokers.MosquittoProcess.Listener;
import com.tesaiot.publish.testing.brokers.MosquittoProcess.LoggedConnect;
import com.tesaiot.publish.testing.brokers.MosquittoProcess.LoggedPublish;
import com.tesaiot.publish.tls.TlsVersion;

/**
 * The tool against mosquitto, a broker written by other people in another language: mutual TLS with
 * {@code require_certificate}, certificate-only login ({@code use_identity_as_username}) and an ACL that lets a
 * device write only to {@code device/<its CN>/telemetry}. Skipped, visibly, where mosquitto is not installed.
 */
class MosquittoEndToEndIT {

    @RegisterExtension
    static final MosquittoBroker BROKER = new MosquittoBroker();

    private static final String KEY_PASSWORD = "correct horse battery";

    static Stream<Arguments> keyFormsAndTlsVersions() {
        List<Arguments> cases = new ArrayList<>();
        List<List<Object>> keys = List.of(
                List.of(KeyType.RSA, PrivateKeyFormat.PKCS1_RSA),
                List.of(KeyType.RSA, PrivateKeyFormat.PKCS8),
                List.of(KeyType.RSA, PrivateKeyFormat.ENCRYPTED_PKCS8),
                List.of(KeyType.EC, PrivateKeyFormat.SEC1_EC),
                List.of(KeyType.EC, PrivateKeyFormat.SEC1_EC_WITH_PARAMETERS),
                List.of(KeyType.EC, PrivateKeyFormat.PKCS8),
                List.of(KeyType.EC_P384, PrivateKeyFormat.PKCS8));
        for (List<Object> key : keys) {
            for (TlsVersion version : TlsVersion.values()) {
                cases.add(Arguments.of(key.get(0), key.get(1), version));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} key as {1} over {2}")
    @MethodSource("keyFormsAndTlsVersions")
    void publishesTenMessagesThatTheBrokerForwardsAsTelemetryOfTheDeviceOnItsTopic(KeyType keyType,
            PrivateKeyFormat format, TlsVersion version) throws Exception {
        String deviceId = ("mq-" + keyType + "-" + format + "-" + version.cliName()).toLowerCase(Locale.ROOT)
                .replace('_', '-');
        boolean encrypted = format == PrivateKeyFormat.ENCRYPTED_PKCS8;
        Path bundle = BROKER.bundle(deviceId, keyType, format, encrypted ? KEY_PASSWORD.toCharArray() : null);
        // TLS 1.3 goes to the listener that refuses anything older, so a success proves 1.3 was negotiated;
        // that TLS 1.2 is really 1.2 is shown by aTls12RunIsRefusedByAListenerThatRequiresTls13.
        Listener listener = version == TlsVersion.TLS_1_3 ? Listener.TLS_1_3_ONLY : Listener.TLS_1_2_AND_1_3;

        ToolRun run = run(encrypted ? Map.of("KEY_PASSWORD", KEY_PASSWORD) : Map.of(),
                "--certs-dir", bundle.toString(), "--broker-port", String.valueOf(BROKER.process().port(listener)),
                "--tls-version", version.cliName(), "--count", "10", "--interval", "0");

        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.err().contains("Sent 10/10, acknowledged 10, failed 0"), run.err());
        assertDelivered(BROKER.process(), BROKER.subscriber(), deviceId, 10);
    }

    @Test
    void aKeyPasswordGivenForAKeyThatIsNotEncryptedIsNamedAsUnused() throws Exception {
        String deviceId = "mq-password-not-needed";
        Path bundle = BROKER.bundle(deviceId, KeyType.EC, PrivateKeyFormat.PKCS8, null);

        ToolRun run = run(Map.of("KEY_PASSWORD", KEY_PASSWORD), "--certs-dir", bundle.toString(),
                "--broker-port", String.valueOf(BROKER.process().port()), "--once");

        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.err().contains("client_key.pem is not encrypted: the password was not used"), run.err());
        assertFalse(run.err().contains(KEY_PASSWORD), "never printed");
    }

    @Test
    void aTls12RunIsRefusedByAListenerThatRequiresTls13() throws Exception {
        String deviceId = "mq-tls12-at-tls13-listener";
        Path bundle = BROKER.bundle(deviceId, KeyType.EC, PrivateKeyFormat.SEC1_EC, null);

        ToolRun run = run(Map.of(), "--certs-dir", bundle.toString(),
                "--broker-port", String.valueOf(BROKER.process().port(Listener.TLS_1_3_ONLY)),
                "--tls-version", "tlsv1.2", "--count", "1");

        assertEquals(4, run.exitCode(), run.err());
        assertOneErrorLineWithoutStackTrace(run);
        assertTrue(run.errorLine().contains("protocol_version"), run.errorLine());
        assertEquals(List.of(), connectsOf(deviceId));
    }

    @ParameterizedTest(name = "over {0}")
    @EnumSource(TlsVersion.class)
    void refusesAClientCertificateFromAnotherCaWithExitFourAndOneLine(TlsVersion version) throws Exception {
        String deviceId = "mq-foreign-client-" + version.cliName();
        DevelopmentPki foreign = DevelopmentPki.create(KeyType.EC, Duration.ofDays(1));
        // The server is trusted (ca-chain.pem is the broker's), but the client certificate is not the broker's.
        Path bundle = BROKER.bundle(DeviceBundle.of(deviceId, foreign.issueClient(deviceId, KeyType.EC),
                BROKER.pki().caChain(), "localhost", BROKER.process().port()));

        ToolRun run = run(Map.of(), "--certs-dir", bundle.toString(), "--tls-version", version.cliName(),
                "--count", "10", "--interval", "0");

        assertEquals(4, run.exitCode(), run.err());
        assertOneErrorLineWithoutStackTrace(run);
        BROKER.subscriber().awaitFence();
        assertEquals(List.of(), BROKER.subscriber().messagesOn("device/" + deviceId + "/telemetry"));
        assertEquals(List.of(), connectsOf(deviceId));
        assertEquals(List.of(), BROKER.process().publishesFrom(deviceId));
    }

    @ParameterizedTest(name = "over {0}")
    @EnumSource(TlsVersion.class)
    void refusesABrokerWhoseCaIsNotInTheBundlesCaChain(TlsVersion version) throws Exception {
        String deviceId = "mq-foreign-ca-chain-" + version.cliName();
        DevelopmentPki foreign = DevelopmentPki.create(KeyType.EC, Duration.ofDays(1));
        Path bundle = BROKER.bundle(DeviceBundle.of(deviceId, BROKER.pki().issueClient(deviceId, KeyType.EC),
                foreign.caChain(), "localhost", BROKER.process().port()));

        ToolRun run = run(Map.of(), "--certs-dir", bundle.toString(), "--tls-version", version.cliName(), "--count", "1");

        assertEquals(4, run.exitCode(), run.err());
        assertOneErrorLineWithoutStackTrace(run);
        assertTrue(run.errorLine().contains("ca-chain.pem"), run.errorLine());
        assertEquals(List.of(), connectsOf(deviceId));
    }

    /**
     * What mosquitto 2.0.11 really does with a PUBLISH its ACL denies from an MQTT 3.1.1 client: it logs
     * "Denied PUBLISH", drops the message, and still sends a PUBACK (its log shows "rc135", but a 3.1.1 PUBACK has
     * no reason code on the wire) and keeps the connection open. So the tool cannot tell, and reports every
     * message acknowledged with exit 0. Unlike the platform's EMQX (deny_action = disconnect), nothing here is
     * diagnosable from the client side; this test pins the behaviour so a change on either side shows up.
     */
    @Test
    void mosquittoAcknowledgesAndSilentlyDropsPublishesToATopicTheAclDenies() throws Exception {
        String deviceId = "mq-acl-denied-topic";
        String deniedTopic = "device/someone-else/telemetry";
        Path bundle = BROKER.bundle(deviceId, KeyType.EC, PrivateKeyFormat.SEC1_EC, null);

        ToolRun run = run(Map.of(), "--certs-dir", bundle.toString(), "--topic", deniedTopic,
                "--count", "10", "--interval", "0");

        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.err().contains("Sent 10/10, acknowledged 10, failed 0"), run.err());
        BROKER.subscriber().awaitFence();
        assertEquals(List.of(), BROKER.subscriber().messagesOn(deniedTopic));
        List<LoggedPublish> publishes = BROKER.process().publishesFrom(deviceId);
        assertEquals(10, publishes.size(), "PUBLISH packets the broker received");
        assertTrue(publishes.stream().allMatch(p -> p.denied() && p.topic().equals(deniedTopic)), publishes::toString);
        assertEquals(List.of(), BROKER.process().deliveriesOn(deniedTopic));
    }

    /**
     * mosquitto knows a device by its certificate's CN (the user name under use_identity_as_username), not by the
     * client id or topic it chooses: a run with another --device-id is let in, but its topic is not the CN's, so
     * the ACL drops every message (acknowledged all the same, as above). The tool warns about the mismatch.
     */
    @Test
    void theBrokerKnowsTheDeviceByItsCertificateCnAndTheToolWarnsWhenTheDeviceIdDiffers() throws Exception {
        String commonName = "mq-cn-owner";
        String otherId = "mq-not-the-cn";
        Path bundle = BROKER.bundle(commonName, KeyType.RSA, PrivateKeyFormat.PKCS1_RSA, null);

        ToolRun run = run(Map.of(), "--certs-dir", bundle.toString(), "--device-id", otherId,
                "--count", "3", "--interval", "0");

        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.err().contains("warning: the client certificate's CN is '" + commonName
                + "' but the device id is '" + otherId + "'"), run.err());
        BROKER.subscriber().awaitFence();
        assertEquals(List.of(), BROKER.subscriber().messagesOn("device/" + otherId + "/telemetry"));
        assertEquals(List.of(new LoggedConnect(otherId, commonName)), connectsOf(otherId));
        List<LoggedPublish> publishes = BROKER.process().publishesFrom(otherId);
        assertEquals(3, publishes.size());
        assertTrue(publishes.stream().allMatch(p -> p.denied() && p.topic().equals("device/" + otherId + "/telemetry")),
                publishes::toString);
    }

    /**
     * A bundle with api_key.txt makes the tool send user name = device id and password = API key (what the
     * platform's EMQX wants). mosquitto with use_identity_as_username replaces the user name with the CN and does
     * not check the password, so the same bundle works against both.
     */
    @Test
    void aBundleWithAnApiKeyAlsoPublishesBecauseMosquittoTakesTheUserNameFromTheCertificate() throws Exception {
        String deviceId = "mq-with-api-key";
        Path bundle = BROKER.bundle(DeviceBundle.of(deviceId, BROKER.pki().issueClient(deviceId, KeyType.EC),
                BROKER.pki().caChain(), "localhost", BROKER.process().port()).withApiKey("not-checked-by-mosquitto"));

        ToolRun run = run(Map.of(), "--certs-dir", bundle.toString(), "--count", "10", "--interval", "0");

        assertEquals(0, run.exitCode(), run.err());
        assertDelivered(BROKER.process(), BROKER.subscriber(), deviceId, 10);
    }

    private static List<LoggedConnect> connectsOf(String clientId) {
        return BROKER.process().connects().stream().filter(c -> c.clientId().equals(clientId)).toList();
    }

    private static void assertOneErrorLineWithoutStackTrace(ToolRun run) {
        List<String> lines = run.err().lines().toList();
        assertAll(run.err(),
                () -> assertEquals(1, lines.stream().filter(l -> l.startsWith("error: ")).count(), "error lines"),
                () -> assertTrue(lines.stream().noneMatch(l -> l.matches("\\s+at .*") || l.startsWith("Caused by")),
                        "no stack trace"),
                () -> assertTrue(lines.stream().allMatch(l -> l.startsWith("error: ") || l.startsWith("[")),
                        "only the tool's own log lines and the error line"));
    }
}
