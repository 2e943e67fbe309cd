package com.tesaiot.publish.bundle;

import com.tesaiot.publish.Failure;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The reader checks presence and readability only; the PEM contents are the tls package's tests. */
class CredentialBundleReaderTest {
    @TempDir
    Path dir;

    @BeforeEach
    void writeMinimalBundle() throws Exception {
        Files.writeString(dir.resolve("device_id.txt"), "  device-7\r\n");
        Files.writeString(dir.resolve("client_cert.pem"), "cert\n");
        Files.writeString(dir.resolve("client_key.pem"), "key\n");
        Files.writeString(dir.resolve("ca-chain.pem"), "ca\n");
    }

    private CredentialBundle read() throws Failure {
        return CredentialBundleReader.read(BundleLocation.at(dir), Optional.empty());
    }

    @Test
    void trimsWhiteSpaceAndWindowsLineEndsFromTheDeviceId() throws Exception {
        assertEquals("device-7", read().deviceId());
    }

    @Test
    void prefersTheDeviceIdTheUserGave() throws Exception {
        assertEquals("given", CredentialBundleReader.read(BundleLocation.at(dir), Optional.of("given")).deviceId());
    }

    @Test
    void namesAMissingFileAndTheInputThatPointsElsewhere() throws Exception {
        Files.delete(dir.resolve("client_key.pem"));

        Failure failure = assertThrows(Failure.class, this::read);

        assertEquals(Failure.Kind.BUNDLE, failure.kind());
        assertEquals(dir.resolve("client_key.pem") + " not found", failure.getMessage());
        assertEquals(Optional.of(Failure.Input.CLIENT_KEY), failure.input());
    }

    @Test
    void namesAnEmptyFile() throws Exception {
        Files.writeString(dir.resolve("ca-chain.pem"), "\n \n");

        assertEquals(dir.resolve("ca-chain.pem") + " is empty", assertThrows(Failure.class, this::read).getMessage());
    }

    @Test
    void namesABinaryFileAsNotText() throws Exception {
        Files.write(dir.resolve("client_cert.pem"), new byte[] {0x30, (byte) 0x82, (byte) 0xff, (byte) 0xfe});

        assertTrue(assertThrows(Failure.class, this::read).getMessage()
                .startsWith(dir.resolve("client_cert.pem") + " is not text (a binary DER file?)"));
    }

    @Test
    void namesAMissingDirectory() {
        Failure failure = assertThrows(Failure.class, () -> CredentialBundleReader.read(
                BundleLocation.at(dir.resolve("nope")), Optional.empty()));

        assertTrue(failure.getMessage().startsWith("credential bundle directory " + dir.resolve("nope") + " not found"));
    }

    @Test
    void needsNoBundleDirectoryWhenEveryFileIsPointedElsewhere() throws Exception {
        BundleLocation elsewhere = BundleLocation.at(dir.resolve("absent"))
                .withClientCertificateFile(dir.resolve("client_cert.pem"))
                .withClientKeyFile(dir.resolve("client_key.pem"))
                .withCaChainFile(dir.resolve("ca-chain.pem"));

        assertEquals("given", CredentialBundleReader.read(elsewhere, Optional.of("given")).deviceId());
    }

    @Test
    void readsTheApiKeyWithoutEverPrintingIt() throws Exception {
        Files.writeString(dir.resolve("api_key.txt"), "s3cr3t-api-key\n");

        CredentialBundle bundle = read();

        assertEquals("s3cr3t-api-key", bundle.apiKey().orElseThrow().reveal());
        assertTrue(!bundle.toString().contains("s3cr3t") && !bundle.toString().contains("key\n"), bundle.toString());
    }
}
