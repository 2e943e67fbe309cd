package com.tesaiot.publish.cli;

import com.tesaiot.publish.testing.tool.ToolRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import com.tesaiot.publish.bundle.BundleLayout;
import com.tesaiot.publish.bundle.BundleLocation;
import com.tesaiot.publish.bundle.CredentialBundle;
import com.tesaiot.publish.bundle.CredentialBundleReader;
import com.tesaiot.publish.bundle.EndpointsFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code bundle create --devices}: a fleet directory, and more devices for it later from its kept CA. */
class BundleCreateFleetTest {
    @TempDir
    Path dir;

    @Test
    void createsAFleetSignedByOneKeptCaAndAddsMoreDevicesLater() throws Exception {
        Path fleet = dir.resolve("fleet");
        ToolRun created = ToolRun.run("bundle", "create", "--devices", "3", "--out", fleet.toString(), "--port", "18883");
        assertEquals(0, created.exitCode(), created.err());

        assertTrue(created.out().contains(" fleet --bundles " + fleet.resolve("devices") + " "), created.out());
        assertTrue(created.out().contains("signed by the development CA in " + fleet.resolve("ca")), created.out());

        ToolRun added = ToolRun.run("bundle", "create", "--ca", fleet.toString(), "--devices", "2");
        assertEquals(0, added.exitCode(), added.err());
        assertTrue(added.out().contains("device-00004 .. device-00005"), added.out());

        List<String> devices = List.of("device-00001", "device-00002", "device-00003", "device-00004", "device-00005");
        X509Certificate intermediate = certificate(fleet.resolve("ca/intermediate.pem"));
        for (String device : devices) {
            Path bundle = fleet.resolve("devices").resolve(device);
            assertEquals(device, Files.readString(bundle.resolve("device_id.txt")).strip());
            X509Certificate leaf = certificate(bundle.resolve("client_cert.pem"));
            leaf.verify(intermediate.getPublicKey()); // throws unless the kept CA signed it
            assertTrue(leaf.getSubjectX500Principal().getName().contains("CN=" + device));
            // The added devices reach the same broker as the first ones.
            assertTrue(Files.readString(bundle.resolve("endpoints.json")).contains("18883"), device);
        }
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(fleet.resolve("ca/root.key"))));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(fleet.resolve("ca/intermediate.key"))));
        assertTrue(Files.readString(fleet.resolve("broker/acl")).contains("pattern readwrite device/%u/telemetry"));
        assertTrue(Files.readString(fleet.resolve("broker/mosquitto.conf")).contains("acl_file " + fleet.resolve("broker/acl").toAbsolutePath()));
    }

    @Test
    void theDevicesFolderHoldsTheDevicesBundlesOnlyAndTheCaAndBrokerKeysAreBesideIt() throws Exception {
        Path fleet = dir.resolve("fleet");
        assertEquals(0, ToolRun.run("bundle", "create", "--devices", "2", "--out", fleet.toString()).exitCode());

        try (Stream<Path> entries = Files.list(fleet)) {
            assertEquals(List.of("broker", "ca", "devices"), entries.map(p -> p.getFileName().toString()).sorted().toList());
        }
        try (Stream<Path> files = Files.walk(fleet.resolve("devices"))) {
            List<String> names = files.filter(Files::isRegularFile).map(p -> fleet.resolve("devices").relativize(p).toString()).sorted().toList();
            assertEquals(List.of("ca-chain.pem", "client_cert.pem", "client_key.pem", "device_id.txt", "endpoints.json"),
                    names.stream().filter(n -> n.startsWith("device-00001/")).map(n -> n.substring(13)).toList());
            assertEquals(10, names.size(), "five files for each of two devices, nothing else: " + names);
        }
        assertTrue(Files.exists(fleet.resolve("ca/root.key")));
        assertTrue(Files.exists(fleet.resolve("broker/server.key")));
    }

    @Test
    void aFleetDirectoryGivenForItsDevicesFolderIsPointedToIt() {
        Path fleet = dir.resolve("fleet");
        assertEquals(0, ToolRun.run("bundle", "create", "--devices", "1", "--out", fleet.toString()).exitCode());

        ToolRun.run("fleet", "--bundles", fleet.toString(), "--count", "1")
                .assertFailsWithOneLine(2, "is a fleet made by bundle create --devices: its bundles are in "
                        + fleet.resolve("devices") + ", give that folder");
    }

    @Test
    void makesAFleetOfPlatformZipsThatTheFleetReadsAndASecretCanHold() throws Exception {
        Path fleet = dir.resolve("fleet");
        ToolRun created = ToolRun.run("bundle", "create", "--devices", "2", "--out", fleet.toString(), "--layout", "platform",
                "--zip", "--port", "18884");
        assertEquals(0, created.exitCode(), created.err());
        assertEquals(0, ToolRun.run("bundle", "create", "--ca", fleet.toString(), "--devices", "1", "--layout", "platform",
                "--zip").exitCode());

        List<Path> zips;
        try (Stream<Path> entries = Files.list(fleet.resolve("devices"))) {
            zips = entries.sorted().toList();
        }
        assertEquals(3, zips.size(), zips.toString());
        for (int n = 1; n <= 3; n++) {
            String name = zips.get(n - 1).getFileName().toString();
            // A Secret's keys are [-._a-zA-Z0-9]+: kubectl create secret generic --from-file=DIR takes each zip as one.
            assertTrue(name.matches("device-0000" + n + "-mqtts-mtls-bundle-\\d{4}-\\d\\d-\\d\\dT\\d\\d-\\d\\d-\\d\\d\\.zip"), name);
            CredentialBundle bundle = CredentialBundleReader.read(BundleLocation.at(zips.get(n - 1)), Optional.empty());
            assertEquals("device-0000" + n, bundle.deviceId());
            assertEquals(BundleLayout.MQTT_DOWNLOAD, bundle.layout());
            assertTrue(bundle.brokerCertificate().isPresent(), "mqtt-broker.pem, from the fleet's broker/server.pem");
            assertEquals(18884, EndpointsFile.read(bundle.endpoints().orElseThrow()).port(), "the added device too");
        }
    }

    @Test
    void refusesToMakeASecondFleetOverTheFirst() {
        Path fleet = dir.resolve("fleet");
        assertEquals(0, ToolRun.run("bundle", "create", "--devices", "1", "--out", fleet.toString()).exitCode());
        ToolRun.run("bundle", "create", "--devices", "1", "--out", fleet.toString())
                .assertFailsWithOneLine(2, "already holds a fleet");
    }

    @Test
    void refusesACaDirectoryThatHoldsNoFleet() {
        ToolRun.run("bundle", "create", "--ca", dir.toString(), "--devices", "1").assertFailsWithOneLine(2, "no fleet CA in");
        ToolRun.run("bundle", "create", "--ca", dir.toString()).assertFailsWithOneLine(2, "give --devices N too");
    }

    private static X509Certificate certificate(Path pem) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(pem)));
    }
}
