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

        ToolRun added = ToolRun.run("bundle", "create", "--ca", fleet.toString(), "--devices", "2");
        assertEquals(0, added.exitCode(), added.err());
        assertTrue(added.out().contains("device-00004 .. device-00005"), added.out());

        List<String> devices = List.of("device-00001", "device-00002", "device-00003", "device-00004", "device-00005");
        X509Certificate intermediate = certificate(fleet.resolve("ca/intermediate.pem"));
        for (String device : devices) {
            Path bundle = fleet.resolve(device);
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
