package com.tesaiot.publish.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.tesaiot.publish.devpki.DevelopmentPki;
import com.tesaiot.publish.devpki.DeviceBundle;
import com.tesaiot.publish.devpki.KeyType;
import com.tesaiot.publish.devpki.PemFiles;
import com.tesaiot.publish.devpki.PrivateKeyFormat;
import com.tesaiot.publish.testing.brokers.MutualTlsBroker;
import com.tesaiot.publish.testing.brokers.ReceivedConnect;
import com.tesaiot.publish.testing.brokers.ReceivedPublish;
import com.tesaiot.publish.testing.tool.ToolRun;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The whole tool against a real broker, in-process: HiveMQ CE with a TLS listener that requires a client certificate. */
class EmbeddedHiveMqEndToEndIT {
    @RegisterExtension
    static MutualTlsBroker broker = MutualTlsBroker.builder().build();

    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeEach
    void forgetEarlierTests() {
        broker.clear();
    }

    private static ToolRun publish(Path bundle, String... more) {
        String[] args = new String[more.length + 2];
        args[0] = "--certs-dir";
        args[1] = bundle.toString();
        System.arraycopy(more, 0, args, 2, more.length);
        return ToolRun.run(args);
    }

    private static void assertBrokerReceivedValidTelemetry(String deviceId, int count) throws Exception {
        List<ReceivedPublish> received = broker.awaitPublishes(count, Duration.ofSeconds(10));
        assertEquals(count, received.size());
        for (ReceivedPublish p : received) {
            assertEquals("device/" + deviceId + "/telemetry", p.topic());
            assertEquals(deviceId, p.clientId());
            assertEquals(1, p.qos());
            JsonNode payload = JSON.readTree(p.payload());
            assertEquals(deviceId, payload.get("device_id").asText());
            assertEquals(13, payload.get("data").size(), p.payloadText());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"tlsv1.2", "tlsv1.3"})
    void publishesTenMessagesOverMutualTlsAndEachIsAcknowledged(String tlsVersion) throws Exception {
        Path bundle = broker.writeBundle("device-" + tlsVersion);

        ToolRun run = publish(bundle, "--count", "10", "--interval", "0", "--tls-version", tlsVersion);

        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.summary().contains("Sent 10/10, acknowledged 10, failed 0"), run.err());
        assertBrokerReceivedValidTelemetry("device-" + tlsVersion, 10);
        ReceivedConnect connect = broker.connects().get(0);
        assertEquals("device-" + tlsVersion, connect.clientId());
        assertEquals("device-" + tlsVersion, connect.certificateCommonName());
        assertEquals(tlsVersion.equals("tlsv1.2") ? "TLSv1.2" : "TLSv1.3", connect.tlsProtocol());
        assertEquals(1, broker.connects().size(), "one connection for the whole run");
    }

    @ParameterizedTest(name = "{0} key as {1}")
    @CsvSource({"RSA, PKCS1_RSA", "RSA, PKCS8", "EC, SEC1_EC", "EC, SEC1_EC_WITH_PARAMETERS", "EC, PKCS8",
        "EC_P384, PKCS8", "RSA, ENCRYPTED_PKCS8", "EC, ENCRYPTED_PKCS8"})
    void publishesWithEveryKeyFormAPlatformOrOpensslWrites(KeyType keyType, PrivateKeyFormat format) throws Exception {
        boolean encrypted = format == PrivateKeyFormat.ENCRYPTED_PKCS8;
        Path bundle = broker.writeBundle("device-key", keyType, format, encrypted ? "pw".toCharArray() : null, null);

        ToolRun run = ToolRun.run(encrypted ? Map.of("KEY_PASSWORD", "pw") : Map.of(),
                "--certs-dir", bundle.toString(), "--count", "3", "--interval", "0");

        assertEquals(0, run.exitCode(), run.err());
        assertBrokerReceivedValidTelemetry("device-key", 3);
    }

    @Test
    void pacesMessagesAtTheInterval() throws Exception {
        Path bundle = broker.writeBundle("device-paced");

        ToolRun run = publish(bundle, "--count", "3", "--interval", "0.3");

        assertEquals(0, run.exitCode(), run.err());
        List<String> lines = run.err().lines().filter(l -> l.contains("Publishing sample")).toList();
        assertEquals(List.of("Publishing sample 1/3", "Publishing sample 2/3", "Publishing sample 3/3"),
                lines.stream().map(l -> l.substring(l.indexOf("] ") + 2)).toList());
        assertBrokerReceivedValidTelemetry("device-paced", 3);
    }

    @ParameterizedTest(name = "QoS {0}")
    @ValueSource(ints = {0, 2})
    void honoursTheQosOfTheOriginalsEnvironmentVariable(int qos) throws Exception {
        Path bundle = broker.writeBundle("device-qos");

        ToolRun run = ToolRun.run(Map.of("QOS", String.valueOf(qos), "TOPIC", "custom/topic"),
                "--certs-dir", bundle.toString(), "--count", "5", "--interval", "0");

        assertEquals(0, run.exitCode(), run.err());
        List<ReceivedPublish> received = broker.awaitPublishes(5, Duration.ofSeconds(10));
        assertTrue(received.stream().allMatch(p -> p.qos() == qos && p.topic().equals("custom/topic")));
    }

    @Test
    void timestampsAreUtcAtWholeSecondsAsTheOriginalWroteThem() throws Exception {
        Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        ToolRun run = publish(broker.writeBundle("device-time"), "--once");

        assertEquals(0, run.exitCode(), run.err());
        String stamp = JSON.readTree(broker.awaitPublishes(1, Duration.ofSeconds(5)).get(0).payload())
                .get("timestamp").asText();
        assertTrue(stamp.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\+00:00"), stamp);
        assertFalse(Instant.parse(stamp.replace("+00:00", "Z")).isBefore(before));
    }

    @Test
    void leavesNoPahoPersistenceFilesInTheWorkingDirectory() throws Exception {
        ToolRun run = publish(broker.writeBundle("device-tidy"), "--once");

        assertEquals(0, run.exitCode(), run.err());
        try (var files = Files.list(Path.of("."))) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().startsWith("device-tidy")),
                    "Paho's default file persistence would leave a folder named after the client id");
        }
    }

    @Test
    void refusesAServerWhoseCertificateIsNotFromTheBundlesCa() throws Exception {
        DevelopmentPki otherCa = DevelopmentPki.create(KeyType.EC, Duration.ofDays(1));
        Path bundle = broker.writeBundle("device-wrong-ca");
        PemFiles.writeCertificates(bundle.resolve("ca-chain.pem"), otherCa.caChain());

        ToolRun run = publish(bundle, "--once");

        run.assertFailsWithOneLine(4, "is not issued by any CA in ca-chain.pem");
        assertTrue(broker.publishes().isEmpty());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"tlsv1.2", "tlsv1.3"})
    void saysTheBrokerRejectedAClientCertificateFromAnotherCa(String tlsVersion) throws Exception {
        DevelopmentPki otherCa = DevelopmentPki.create(KeyType.EC, Duration.ofDays(1));
        // The bundle trusts the broker, but its own certificate comes from a CA the broker does not know.
        DeviceBundle untrusted = DeviceBundle.of("device-untrusted", otherCa.issueClient("device-untrusted", KeyType.EC),
                broker.pki().caChain(), MutualTlsBroker.HOST, broker.port());
        Path bundle = broker.writeBundle(untrusted);

        ToolRun run = publish(bundle, "--once", "--tls-version", tlsVersion);

        assertEquals(4, run.exitCode(), run.err());
        run.assertFailsWithOneLine(4, "certificate");
        assertTrue(broker.publishes().isEmpty());
    }

    @Test
    void refusesAnExpiredClientCertificateBeforeConnecting() throws Exception {
        Instant now = Instant.now();
        DeviceBundle expired = DeviceBundle.of("device-expired",
                broker.pki().issueClient("device-expired", KeyType.EC, now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1))),
                broker.pki().caChain(), MutualTlsBroker.HOST, broker.port());

        ToolRun run = publish(broker.writeBundle(expired), "--once");

        run.assertFailsWithOneLine(3, "client_cert.pem expired: valid from");
        assertTrue(broker.connects().isEmpty(), "refused before connecting");
    }

    @Test
    void warnsWhenTheCertificateIsNotIssuedToTheDevice() throws Exception {
        Path bundle = broker.writeBundle(DeviceBundle.of("device-a", broker.pki().issueClient("someone-else", KeyType.EC),
                broker.pki().caChain(), MutualTlsBroker.HOST, broker.port()));

        ToolRun run = publish(bundle, "--once");

        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.err().contains("warning: the client certificate's CN is 'someone-else' but the device id is 'device-a'"),
                run.err());
    }

    @Test
    void tightensAKeyFileOthersCanReadAndSaysSo() throws Exception {
        Path bundle = broker.writeBundle("device-perms");
        Path key = bundle.resolve("client_key.pem");
        org.junit.jupiter.api.Assumptions.assumeTrue(key.getFileSystem().supportedFileAttributeViews().contains("posix"),
                "POSIX permissions only");
        Files.setPosixFilePermissions(key, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));

        ToolRun run = publish(bundle, "--once");

        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.err().contains("was readable by others (rw-r--r--): changed to rw-------"), run.err());
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        assertFalse(run.err().contains("PRIVATE KEY"), "no key material in any message");
    }
}
