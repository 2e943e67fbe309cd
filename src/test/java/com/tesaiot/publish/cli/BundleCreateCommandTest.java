package com.tesaiot.publish.cli;

import com.tesaiot.publish.testing.pki.PemHeaders;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.tesaiot.publish.bundle.BundleLayout;
import com.tesaiot.publish.bundle.BundleLocation;
import com.tesaiot.publish.bundle.CredentialBundle;
import com.tesaiot.publish.bundle.CredentialBundleReader;
import com.tesaiot.publish.bundle.FileOrigin;
import com.tesaiot.publish.bundle.PemFile;
import com.tesaiot.publish.tls.MutualTls;
import com.tesaiot.publish.tls.MutualTlsFactory;
import com.tesaiot.publish.tls.PemReader;
import com.tesaiot.publish.tls.ServerCertificate;
import com.tesaiot.publish.tls.TlsVersion;
import com.tesaiot.publish.testing.faults.SmallDisk;
import com.tesaiot.publish.testing.tool.ToolRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code bundle create} without a broker: the files it writes, what the tool makes of them, and when it refuses. */
class BundleCreateCommandTest {
    @TempDir
    Path dir;

    private static final ObjectMapper JSON = new ObjectMapper();

    private Path bundle() {
        return dir.resolve("certs_credentials");
    }

    private ToolRun create(String... more) {
        String[] args = new String[more.length + 4];
        args[0] = "bundle";
        args[1] = "create";
        args[2] = "--out";
        args[3] = bundle().toString();
        System.arraycopy(more, 0, args, 4, more.length);
        return ToolRun.run(args);
    }

    @Test
    void aFullDiskIsNamedAndLeavesNoHalfWrittenBundleBehind() throws Exception {
        try (SmallDisk disk = SmallDisk.mount(dir.resolve("disk"), "12k")) {
            Path out = disk.root().resolve("certs_credentials");

            ToolRun run = ToolRun.run("bundle", "create", "--out", out.toString(), "--device-id", "dev-full");

            run.assertFailsWithOneLine(74, "no space left on device; nothing was left behind");
            try (var left = Files.list(out)) {
                assertEquals(List.of(), left.toList(), "a rerun without --force must not be blocked");
            }
        }
    }

    @Test
    void anIpv6HostInBracketsGoesIntoEndpointsJsonBare() throws Exception {
        ToolRun run = create("--device-id", "dev-v6", "--host", "[::1]");

        assertEquals(0, run.exitCode(), run.err());
        assertEquals("::1", JSON.readTree(bundle().resolve("endpoints.json").toFile()).get("mqtt_host").asText());
    }

    @Test
    void anInvalidIpv6HostIsAUsageError() {
        create("--host", "1:2:3:zz").assertFailsWithOneLine(2, "--host '1:2:3:zz' is not a host name or IP address");
    }

    private static String permissions(Path file) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }

    @Test
    void writesAPlatformBundleTheToolAcceptsWithoutAWarning() throws Exception {
        ToolRun run = create("--device-id", "dev-1", "--host", "broker.local", "--host", "10.0.0.5", "--port", "9999",
                "--days", "10");

        assertEquals(0, run.exitCode(), run.err());
        assertEquals("dev-1", Files.readString(bundle().resolve("device_id.txt")).strip());
        JsonNode endpoints = JSON.readTree(bundle().resolve("endpoints.json").toFile());
        assertEquals("broker.local", endpoints.get("mqtt_host").asText());
        assertEquals(9999, endpoints.get("mqtt_mtls_port").asInt());
        assertTrue(Files.readString(bundle().resolve("client_key.pem")).startsWith(PemHeaders.begin("EC PRIVATE KEY")),
                "an EC key as a device writes it");

        CredentialBundle read = CredentialBundleReader.read(BundleLocation.at(bundle()), Optional.empty());
        MutualTls tls = MutualTlsFactory.create(read, TlsVersion.TLS_1_2, Optional.empty());
        assertEquals(List.of(), tls.warnings());
        assertEquals(Optional.of("dev-1"), tls.clientCommonName());
        assertEquals(2, tls.clientChain().size(), "leaf and intermediate, so a broker trusting the root accepts it");
        Instant notAfter = tls.clientCertificate().getNotAfter().toInstant();
        assertTrue(Duration.between(Instant.now(), notAfter).toHours() > 9 * 24
                && Duration.between(Instant.now(), notAfter).toHours() <= 10 * 24, "valid --days 10: " + notAfter);
    }

    @Test
    void writesABrokerFolderWhoseCertificateNamesTheHostsAndChainsToTheBundlesCa() throws Exception {
        ToolRun run = create("--device-id", "dev-2", "--host", "broker.local", "--host", "10.0.0.5", "--port", "9999");

        assertEquals(0, run.exitCode(), run.err());
        Path broker = bundle().resolve("broker");
        List<X509Certificate> server = certificates(broker.resolve("server.pem"));
        assertEquals(List.of("broker.local", "10.0.0.5"), ServerCertificate.of(server.get(0)).names());
        List<X509Certificate> caChain = certificates(bundle().resolve("ca-chain.pem"));
        X509Certificate root = certificates(broker.resolve("ca.pem")).get(0);
        assertTrue(caChain.contains(root), "the broker trusts the root of the bundle's chain");
        assertEquals(caChain.get(0).getSubjectX500Principal(), server.get(0).getIssuerX500Principal());
        server.get(0).verify(caChain.get(0).getPublicKey());

        String conf = Files.readString(broker.resolve("mosquitto.conf"));
        for (String line : List.of("listener 9999 127.0.0.1", "cafile " + broker.toAbsolutePath().resolve("ca.pem"),
                "certfile " + broker.toAbsolutePath().resolve("server.pem"),
                "keyfile " + broker.toAbsolutePath().resolve("server.key"), "require_certificate true",
                "use_identity_as_username true")) {
            assertTrue(conf.lines().anyMatch(line::equals), "mosquitto.conf lacks '" + line + "':\n" + conf);
        }

        String xml = Files.readString(broker.resolve("hivemq/config.xml"));
        assertTrue(xml.contains("<port>9999</port>") && xml.contains("<client-authentication-mode>REQUIRED<"), xml);
        Matcher store = Pattern.compile("<keystore>\\s*<path>([^<]+)</path>\\s*<password>([^<]+)</password>").matcher(xml);
        assertTrue(store.find(), xml);
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(Path.of(store.group(1)))) {
            keyStore.load(in, store.group(2).toCharArray());
        }
        assertEquals(server.get(0), keyStore.getCertificate("key"), "HiveMQ's key store holds the same server certificate");
    }

    @Test
    void keysAndTheHiveMqConfigWithItsStorePasswordAreReadableByTheOwnerOnly() throws Exception {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "POSIX permissions only");

        assertEquals(0, create().exitCode());

        assertEquals("rw-------", permissions(bundle().resolve("client_key.pem")));
        assertEquals("rw-------", permissions(bundle().resolve("broker/server.key")));
        assertEquals("rw-------", permissions(bundle().resolve("broker/hivemq/config.xml")));
        assertEquals("rw-------", permissions(bundle().resolve("broker/hivemq/server.p12")));
    }

    @Test
    void defaultsToARandomUuidAndABrokerForLocalhostAnd127001() throws Exception {
        ToolRun run = create();

        assertEquals(0, run.exitCode(), run.err());
        String id = Files.readString(bundle().resolve("device_id.txt")).strip();
        assertEquals(id, UUID.fromString(id).toString());
        assertEquals(List.of("localhost", "127.0.0.1"),
                ServerCertificate.of(certificates(bundle().resolve("broker/server.pem")).get(0)).names());
        assertEquals("localhost", JSON.readTree(bundle().resolve("endpoints.json").toFile()).get("mqtt_host").asText());
        assertEquals(8883, JSON.readTree(bundle().resolve("endpoints.json").toFile()).get("mqtt_mtls_port").asInt());
        assertTrue(run.out().contains("mosquitto -c "), run.out());
        assertTrue(run.out().contains(" check --certs-dir " + bundle() + " --publish-test"), run.out());
        assertFalse(run.out().contains("PRIVATE KEY"), "no key material printed");
    }

    @Test
    void makesRsaKeysWhenAsked() throws Exception {
        assertEquals(0, create("--key-type", "RSA").exitCode());

        assertEquals("RSA", certificates(bundle().resolve("client_cert.pem")).get(0).getPublicKey().getAlgorithm());
        assertEquals("RSA", certificates(bundle().resolve("broker/server.pem")).get(0).getPublicKey().getAlgorithm());
    }

    @Test
    void refusesToReplaceAnExistingBundleWithoutForce() throws Exception {
        assertEquals(0, create("--device-id", "first").exitCode());
        String certificate = Files.readString(bundle().resolve("client_cert.pem"));

        ToolRun again = create("--device-id", "second");

        again.assertFailsWithOneLine(2, bundle() + " already holds a bundle (device_id.txt, client_cert.pem,"
                + " client_key.pem, ca-chain.pem, endpoints.json, broker): give --force to replace it");
        assertEquals("first", Files.readString(bundle().resolve("device_id.txt")).strip());
        assertEquals(certificate, Files.readString(bundle().resolve("client_cert.pem")));
    }

    @Test
    void refusesEvenWhenOnlyOneFileOfABundleIsThere() throws Exception {
        Files.createDirectories(bundle());
        Files.writeString(bundle().resolve("client_key.pem"), "someone's key");

        create().assertFailsWithOneLine(2, "already holds a bundle (client_key.pem)");
        assertEquals("someone's key", Files.readString(bundle().resolve("client_key.pem")));
    }

    @Test
    void forceReplacesTheBundleAndLeavesOtherFilesAlone() throws Exception {
        assertEquals(0, create("--device-id", "first").exitCode());
        Files.writeString(bundle().resolve("api_key.txt"), "a stale key");
        Files.writeString(bundle().resolve("notes.txt"), "mine");

        ToolRun run = create("--device-id", "second", "--force");

        assertEquals(0, run.exitCode(), run.err());
        assertEquals("second", Files.readString(bundle().resolve("device_id.txt")).strip());
        assertEquals("CN=second", certificates(bundle().resolve("client_cert.pem")).get(0).getSubjectX500Principal().getName());
        assertFalse(Files.exists(bundle().resolve("api_key.txt")), "a stale API key would be sent to the new broker");
        assertEquals("mine", Files.readString(bundle().resolve("notes.txt")));
        assertNotEquals(-1, Files.readString(bundle().resolve("broker/mosquitto.conf")).indexOf("listener 8883"));
    }

    @Test
    void writesAZipLaidOutAsThePlatformsDownloadThatTheToolReadsAsOne() throws Exception {
        ToolRun run = create("--device-id", "dev-p", "--layout", "platform", "--zip", "--port", "9998");

        assertEquals(0, run.exitCode(), run.err());
        List<Path> zips;
        try (java.util.stream.Stream<Path> entries = Files.list(bundle())) {
            zips = entries.filter(p -> p.toString().endsWith(".zip")).toList();
        }
        assertEquals(1, zips.size());
        Path zip = zips.get(0);
        assertTrue(zip.getFileName().toString().matches("dev-p-mqtts-mtls-bundle-\\d{4}-\\d\\d-\\d\\dT\\d\\d-\\d\\d-\\d\\d\\.zip"), zip.toString());
        List<String> entries;
        try (java.util.zip.ZipFile file = new java.util.zip.ZipFile(zip.toFile())) {
            entries = file.stream().map(java.util.zip.ZipEntry::getName).toList();
            JsonNode endpoints = JSON.readTree(file.getInputStream(file.getEntry("endpoints.json")));
            assertEquals("localhost", endpoints.at("/mqtt/mtls/host").asText());
            assertEquals(9998, endpoints.at("/mqtt/mtls/port").asInt());
        }
        assertEquals(List.of("dev-p.pem", "dev-p.key", "ca-chain.pem", "mqtt-broker.pem", "endpoints.json",
                "mqtt_client_config.h", "README.txt"), entries);
        if (zip.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertEquals("rw-------", permissions(zip), "the zip holds the key");
        }
        assertTrue(run.out().contains(" --certs-dir " + zip + " --count 3"), run.out());
        assertFalse(Files.exists(bundle().resolve("client_cert.pem")), "only the zip, no folder beside it");

        CredentialBundle read = CredentialBundleReader.read(BundleLocation.at(zip), Optional.empty());
        assertEquals(BundleLayout.MQTT_DOWNLOAD, read.layout());
        assertEquals("dev-p", read.deviceId());
        assertEquals(List.of(), MutualTlsFactory.create(read, TlsVersion.TLS_1_2, Optional.empty()).warnings());
        X509Certificate server = certificates(bundle().resolve("broker/server.pem")).get(0);
        assertEquals(server, PemReader.certificates(read.brokerCertificate().orElseThrow()).get(0),
                "mqtt-broker.pem is the local broker's certificate");
    }

    @Test
    void aPlatformFolderReplacesAnOriginalBundleWithForceLeavingNoneOfItsFiles() throws Exception {
        assertEquals(0, create("--device-id", "first").exitCode());

        ToolRun run = create("--device-id", "second", "--layout", "platform", "--force");

        assertEquals(0, run.exitCode(), run.err());
        assertFalse(Files.exists(bundle().resolve("client_cert.pem")), "two layouts in one folder would be read as the old one");
        assertFalse(Files.exists(bundle().resolve("device_id.txt")));
        assertEquals("second", CredentialBundleReader.read(BundleLocation.at(bundle()), Optional.empty()).deviceId());
        assertEquals("rw-------", permissions(bundle().resolve("second.key")));
    }

    @Test
    void rejectsAKeyTypeItDoesNotMake() {
        ToolRun run = create("--key-type", "dsa");

        run.assertFailsWithOneLine(2, "'dsa' is not a key type: use ec or rsa");
        assertFalse(Files.exists(bundle()));
    }

    @Test
    void theLocalBrokerListensOnThisMachineOnlyUnlessListenSaysOtherwise() throws Exception {
        assertEquals(0, create("--port", "9998").exitCode());
        assertTrue(Files.readString(bundle().resolve("broker/mosquitto.conf")).lines()
                .anyMatch("listener 9998 127.0.0.1"::equals), "mosquitto on loopback only");
        assertTrue(Files.readString(bundle().resolve("broker/hivemq/config.xml")).contains("<bind-address>127.0.0.1<"),
                "HiveMQ on loopback only");

        ToolRun everywhere = create("--port", "9998", "--listen", "0.0.0.0", "--force");

        assertEquals(0, everywhere.exitCode(), everywhere.err());
        assertTrue(Files.readString(bundle().resolve("broker/mosquitto.conf")).lines()
                .anyMatch("listener 9998 0.0.0.0"::equals));
        assertTrue(Files.readString(bundle().resolve("broker/hivemq/config.xml")).contains("<bind-address>0.0.0.0<"));
        assertTrue(everywhere.out().contains("listener 9998 on 0.0.0.0"), everywhere.out());
    }

    @Test
    void aBundleForIpv6LoopbackGetsABrokerListeningThere() throws Exception {
        ToolRun run = create("--host", "::1", "--port", "9997");

        assertEquals(0, run.exitCode(), run.err());
        assertTrue(Files.readString(bundle().resolve("broker/mosquitto.conf")).lines()
                .anyMatch("listener 9997 ::1"::equals), "the broker listens where endpoints.json sends the device");
        assertTrue(Files.readString(bundle().resolve("endpoints.json")).contains("::1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"every/where", "300.1.1.1", "10.0.0", "abc", "1:2:zz::1"})
    void rejectsAListenAddressThatIsNotAnIpAddress(String address) {
        create("--listen", address).assertFailsWithOneLine(2, "--listen '" + address + "' is not an IP address");
        assertFalse(Files.exists(bundle()));
    }

    @Test
    void rejectsADeviceIdThatCannotBeATopicLevel() {
        create("--device-id", "a/b").assertFailsWithOneLine(2, "--device-id 'a/b' must be");
        assertFalse(Files.exists(bundle()));
    }

    private static List<X509Certificate> certificates(Path file) throws Exception {
        return PemReader.certificates(new PemFile(new FileOrigin.OnDisk(file), Files.readString(file)));
    }
}
