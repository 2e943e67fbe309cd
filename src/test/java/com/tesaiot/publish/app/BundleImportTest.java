package com.tesaiot.publish.app;

import com.tesaiot.publish.Failure;
import com.tesaiot.publish.bundle.BundleLayout;
import com.tesaiot.publish.devpki.DevelopmentPki;
import com.tesaiot.publish.devpki.DeviceBundle;
import com.tesaiot.publish.devpki.KeyType;
import com.tesaiot.publish.testing.bundles.PlatformDownload;
import com.tesaiot.publish.testing.bundles.PlatformDownload.Layout;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What {@code bundle import} writes where, and what it leaves alone; publishing from it is PlatformBundleEndToEndIT's. */
class BundleImportTest {
    private static DevelopmentPki pki;

    @TempDir
    Path dir;

    @BeforeAll
    static void makePki() {
        pki = DevelopmentPki.create(KeyType.EC, Duration.ofDays(1));
    }

    private static DeviceBundle bundle(String deviceId) {
        return DeviceBundle.of(deviceId, pki.issueClient(deviceId, KeyType.EC), pki.caChain(), "mqtt.example", 8884);
    }

    private static PlatformDownload download(String deviceId) {
        return PlatformDownload.of(bundle(deviceId), pki.root().certificate());
    }

    @Test
    void writesTheOriginalLayoutWithAFlatEndpointsFileFromTheNestedOne() throws Exception {
        Path zip = download("dev-1").writeZip(dir.resolve("dev-1.zip"), "");
        Path out = dir.resolve("certs_credentials");

        BundleImport.Imported imported = BundleImport.run(zip, Optional.empty(), out, false);

        assertEquals("dev-1", imported.deviceId());
        assertEquals(BundleLayout.MQTT_DOWNLOAD, imported.from());
        try (Stream<Path> files = Files.list(out)) {
            assertEquals(List.of("ca-chain.pem", "client_cert.pem", "client_key.pem", "device_id.txt", "endpoints.json",
                    "mqtt-broker.pem"), files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertEquals("{\n  \"mqtt_host\" : \"mqtt.example\",\n  \"mqtt_mtls_port\" : 8884\n}\n",
                Files.readString(out.resolve("endpoints.json")));
    }

    @Test
    void importsIntoAnExistingFolderAndLeavesTheUsersOtherFilesAlone() throws Exception {
        Path zip = download("dev-2").writeZip(dir.resolve("dev-2.zip"), "");
        Path out = Files.createDirectory(dir.resolve("mine"));
        Files.writeString(out.resolve("notes.txt"), "mine\n");

        BundleImport.run(zip, Optional.empty(), out, false);

        assertEquals("mine\n", Files.readString(out.resolve("notes.txt")));
        assertEquals("dev-2\n", Files.readString(out.resolve("device_id.txt")));
    }

    @Test
    void replacingABundleRemovesTheOldFilesTheNewOneLacksSoTheTwoNeverMix() throws Exception {
        Path out = dir.resolve("certs");
        Path first = download("dev-old").layout(Layout.ORIGINAL).writeZip(dir.resolve("old.zip"), "");
        BundleImport.run(first, Optional.empty(), out, false);
        Files.writeString(out.resolve("api_key.txt"), "old-api-key\n");
        Files.writeString(out.resolve("mqtt-broker.pem"), "old broker\n");
        Path https = download("dev-new").layout(Layout.HTTPS_DOWNLOAD).writeZip(dir.resolve("new.zip"), "");

        BundleImport.Imported imported = BundleImport.run(https, Optional.empty(), out, true);

        assertFalse(Files.exists(out.resolve("api_key.txt")), "the old device's API key");
        assertFalse(Files.exists(out.resolve("endpoints.json")), "the old device's broker");
        assertFalse(Files.exists(out.resolve("mqtt-broker.pem")));
        assertEquals("dev-new\n", Files.readString(out.resolve("device_id.txt")));
        assertEquals(List.of(https + " names no MQTT broker: no endpoints.json written, so runs use"
                + " mqtt.tesaiot.com:8883 unless given another"), imported.notes());
    }

    @Test
    void refusesAKeyOfAnotherDeviceAndWritesNothing() throws Exception {
        Map<String, String> files = download("dev-3").files();
        files.put("dev-3.key", download("dev-4").files().get("dev-4.key"));
        Path zip = PlatformDownload.writeZip(dir.resolve("mixed.zip"), files);

        Failure failure = assertThrows(Failure.class, () -> BundleImport.run(zip, Optional.empty(), dir.resolve("out"), false));

        assertTrue(failure.getMessage().startsWith("dev-3.key does not match dev-3.pem"), failure.getMessage());
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(zip), left.toList());
        }
    }
}
