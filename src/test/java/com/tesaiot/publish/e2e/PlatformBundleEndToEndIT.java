package com.tesaiot.publish.e2e;

import com.tesaiot.publish.devpki.DevelopmentPki;
import com.tesaiot.publish.devpki.KeyType;
import com.tesaiot.publish.testing.brokers.MutualTlsBroker;
import com.tesaiot.publish.testing.brokers.ReceivedPublish;
import com.tesaiot.publish.testing.bundles.PlatformDownload;
import com.tesaiot.publish.testing.bundles.PlatformDownload.Layout;
import com.tesaiot.publish.testing.tool.ToolRun;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bundles as users really get them, each publishing end to end over mutual TLS to the embedded HiveMQ broker with
 * no environment set: the platform's zip as downloaded, wrapped in a folder, unzipped; its HTTPS variant; the
 * original layout zipped; the hub's synced folder; a CSR device's download with and without its key; and each
 * imported with {@code bundle import} into a folder that publishes.
 */
class PlatformBundleEndToEndIT {
    @RegisterExtension
    static MutualTlsBroker broker = MutualTlsBroker.builder().build();

    @TempDir
    Path dir;

    @BeforeEach
    void forgetEarlierTests() {
        broker.clear();
    }

    /** Each way a bundle reaches a user. */
    enum Handed {
        MQTT_ZIP(Layout.MQTT_DOWNLOAD, true, ""),
        MQTT_ZIP_IN_A_FOLDER(Layout.MQTT_DOWNLOAD, true, "bundle"),
        MQTT_UNZIPPED(Layout.MQTT_DOWNLOAD, false, ""),
        HTTPS_ZIP(Layout.HTTPS_DOWNLOAD, true, ""),
        ORIGINAL_ZIP(Layout.ORIGINAL, true, "certs_credentials"),
        HUB_SYNCED_FOLDER(Layout.HUB_SYNCED, false, "");

        final Layout layout;
        final boolean zipped;
        final String wrapper;

        Handed(Layout layout, boolean zipped, String wrapper) {
            this.layout = layout;
            this.zipped = zipped;
            this.wrapper = wrapper;
        }

        String deviceId() {
            return "handed-" + name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        Path write(PlatformDownload download, Path dir) throws IOException {
            download = download.layout(layout);
            String id = deviceId();
            if (zipped) {
                return download.writeZip(dir.resolve(id + "-mqtts-mtls-bundle-20261127T120000.zip"), wrapper);
            }
            return download.writeFolder(dir.resolve(id + "-bundle"));
        }

        /** The HTTPS download names no MQTT broker: the user gives it. */
        List<String> brokerArguments() {
            return layout == Layout.HTTPS_DOWNLOAD
                    ? List.of("--broker-host", MutualTlsBroker.HOST, "--broker-port", String.valueOf(broker.port()))
                    : List.of();
        }
    }

    private static PlatformDownload download(String deviceId) {
        return PlatformDownload.of(broker.bundleFor(deviceId, KeyType.EC), broker.serverCertificate());
    }

    private static ToolRun run(List<String> first, List<String> more, String... rest) {
        List<String> args = new ArrayList<>(first);
        args.addAll(more);
        args.addAll(List.of(rest));
        return ToolRun.run(args.toArray(String[]::new));
    }

    private static void assertOneTelemetryMessageFrom(String deviceId) {
        List<ReceivedPublish> received = broker.awaitPublishes(1, Duration.ofSeconds(10));
        assertEquals(1, received.size());
        assertEquals("device/" + deviceId + "/telemetry", received.get(0).topic());
        assertEquals(deviceId, received.get(0).clientId());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Handed.class)
    void publishesFromTheBundleAsItIsHandedOut(Handed handed) throws Exception {
        Path bundle = handed.write(download(handed.deviceId()), dir);

        ToolRun run = run(List.of("--certs-dir", bundle.toString()), handed.brokerArguments(), "--once");

        assertEquals(0, run.exitCode(), run.err());
        // An unzipped key is as readable as the unzip tool's umask made it: that one warning is expected. A key
        // read from a zip was never a file: nothing to tighten, nothing to warn about.
        assertEquals(List.of(), run.err().lines().filter(l -> l.startsWith("warning:"))
                .filter(l -> handed.zipped || !l.contains("was readable by others")).toList());
        assertOneTelemetryMessageFrom(handed.deviceId());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Handed.class)
    void importsTheBundleIntoTheOriginalLayoutThatPublishes(Handed handed) throws Exception {
        Path bundle = handed.write(download(handed.deviceId()), dir);
        Path imported = dir.resolve("imported");

        ToolRun importing = ToolRun.run("bundle", "import", bundle.toString(), "--out", imported.toString());

        assertEquals(0, importing.exitCode(), importing.err());
        assertTrue(importing.out().contains("for device " + handed.deviceId()), importing.out());
        assertTrue(importing.out().contains(" --certs-dir " + imported + " --once"), importing.out());
        assertEquals(handed.deviceId(), Files.readString(imported.resolve("device_id.txt")).strip());
        if (imported.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(imported)));
            assertEquals("rw-------", PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(imported.resolve("client_key.pem"))));
        }
        ToolRun run = run(List.of("--certs-dir", imported.toString()), handed.brokerArguments(), "--once");
        assertEquals(0, run.exitCode(), run.err());
        assertOneTelemetryMessageFrom(handed.deviceId());
    }

    @Test
    void saysWhichDeviceIdWinsWhenTheDownloadDisagreesWithItsDeviceIdFile() throws Exception {
        Path folder = download("named-in-file-name").writeFolder(dir.resolve("download"));
        Files.writeString(folder.resolve("device_id.txt"), "named-in-device-id-txt\n");

        ToolRun run = ToolRun.run("--certs-dir", folder.toString(), "--once");

        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.err().contains("warning: the bundle's device ids disagree: device_id.txt says"
                + " 'named-in-device-id-txt', the certificate's file name named-in-file-name.pem says"
                + " 'named-in-file-name'; using 'named-in-device-id-txt' from device_id.txt"), run.err());
        assertOneTelemetryMessageFrom("named-in-device-id-txt");
    }

    @Test
    void aCsrDevicesDownloadSaysItHasNoKeyAndPublishesWithTheKeyTheDeviceMade() throws Exception {
        PlatformDownload download = download("csr-device").withoutKey();
        Path zip = download.writeZip(dir.resolve("csr-device-mqtts-mtls-bundle-20261127T120000.zip"), "");

        ToolRun withoutKey = ToolRun.run("--certs-dir", zip.toString(), "--once");

        withoutKey.assertFailsWithOneLine(3, zip + " has no private key (csr-device.key): the device was enrolled with"
                + " a CSR");
        assertTrue(withoutKey.errorLine().contains("--client-key or CLIENT_KEY"), withoutKey.errorLine());
        assertTrue(broker.connects().isEmpty());

        Path key = download.writeKey(dir.resolve("csr-device.key"));
        ToolRun withKey = ToolRun.run("--certs-dir", zip.toString(), "--client-key", key.toString(), "--once");

        assertEquals(0, withKey.exitCode(), withKey.err());
        assertOneTelemetryMessageFrom("csr-device");
    }

    @Test
    void importsACsrDevicesDownloadWithTheKeyTheDeviceMade() throws Exception {
        PlatformDownload download = download("csr-import").withoutKey();
        Path zip = download.writeZip(dir.resolve("csr-import.zip"), "");
        Path key = download.writeKey(dir.resolve("csr-import.key"));
        Path imported = dir.resolve("imported");

        ToolRun refused = ToolRun.run("bundle", "import", zip.toString(), "--out", imported.toString());
        refused.assertFailsWithOneLine(3, "has no private key");
        assertFalse(Files.exists(imported), "nothing written");

        ToolRun importing = ToolRun.run("bundle", "import", zip.toString(), "--client-key", key.toString(),
                "--out", imported.toString());
        assertEquals(0, importing.exitCode(), importing.err());
        assertEquals(Files.readString(key), Files.readString(imported.resolve("client_key.pem")));
        assertEquals(0, ToolRun.run("--certs-dir", imported.toString(), "--once").exitCode());
        assertOneTelemetryMessageFrom("csr-import");
    }

    @Test
    void importRefusesToReplaceABundleWithoutForce() throws Exception {
        Path first = download("import-first").writeZip(dir.resolve("first.zip"), "");
        Path second = download("import-second").writeZip(dir.resolve("second.zip"), "");
        Path out = dir.resolve("certs");
        assertEquals(0, ToolRun.run("bundle", "import", first.toString(), "--out", out.toString()).exitCode());

        ToolRun again = ToolRun.run("bundle", "import", second.toString(), "--out", out.toString());

        again.assertFailsWithOneLine(2, out + " already holds a bundle (device_id.txt, client_cert.pem, client_key.pem,"
                + " ca-chain.pem, endpoints.json, mqtt-broker.pem): give --force to replace it");
        assertEquals("import-first", Files.readString(out.resolve("device_id.txt")).strip());

        ToolRun forced = ToolRun.run("bundle", "import", second.toString(), "--out", out.toString(), "--force");
        assertEquals(0, forced.exitCode(), forced.err());
        assertEquals("import-second", Files.readString(out.resolve("device_id.txt")).strip());
        try (var left = Files.list(dir)) {
            assertEquals(List.of("certs", "first.zip", "second.zip"),
                    left.map(p -> p.getFileName().toString()).sorted().toList(), "no staging folder left behind");
        }
    }

    @Test
    void checkSaysTheBrokerPresentedTheCertificateTheDownloadNames() throws Exception {
        Path zip = download("check-broker").writeZip(dir.resolve("check-broker.zip"), "");

        ToolRun run = ToolRun.run("check", "--certs-dir", zip.toString());

        assertEquals(0, run.exitCode(), run.out() + run.err());
        assertTrue(run.out().contains(zip + " (the platform's MQTT mTLS download): device check-broker"), run.out());
        assertTrue(run.out().contains("it is the broker certificate mqtt-broker.pem names"), run.out());
    }

    @Test
    void checkWarnsWhenTheBrokerIsNotTheOneTheDownloadNames() throws Exception {
        DevelopmentPki elsewhere = DevelopmentPki.create(KeyType.EC, Duration.ofDays(1));
        Path zip = PlatformDownload.of(broker.bundleFor("check-other", KeyType.EC),
                elsewhere.issueServer(List.of("mqtt.example"), KeyType.EC).certificate())
                .writeZip(dir.resolve("check-other.zip"), "");

        ToolRun run = ToolRun.run("check", "--certs-dir", zip.toString());

        assertEquals(0, run.exitCode(), run.out() + run.err());
        assertTrue(run.out().lines().anyMatch(l -> l.startsWith("! tls") && l.contains("not the certificate"
                + " mqtt-broker.pem names") && l.contains("point at another server")), run.out());
    }
}
