package com.tesaiot.publish.bundle;

import com.tesaiot.publish.Failure;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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

    @Test
    void refusesAFolderNamedLikeAnOptionalFileInsteadOfPassingItOver() throws Exception {
        Files.createDirectory(dir.resolve("api_key.txt")); // a run without it would log in without the API key

        Failure failure = assertThrows(Failure.class, this::read);

        assertEquals(Failure.Kind.BUNDLE, failure.kind());
        assertEquals(dir.resolve("api_key.txt") + " is a directory, not a file", failure.getMessage());
    }

    @Test
    void refusesAnApiKeyWithAControlCharacterNamingItsPositionNotTheKey() throws Exception {
        Files.writeString(dir.resolve("api_key.txt"), "s3cr3t\u0007api-key\n");

        Failure failure = assertThrows(Failure.class, this::read);

        assertEquals(Failure.Kind.BUNDLE, failure.kind());
        assertEquals(dir.resolve("api_key.txt") + " holds a control character (U+0007) at position 7: an API key is one"
                + " line of printable text; save the key again without it", failure.getMessage());
    }

    @Test
    void readsADeviceIdFileWithAByteOrderMark() throws Exception {
        Files.writeString(dir.resolve("device_id.txt"), "\uFEFFdevice-7\r\n");

        assertEquals("device-7", read().deviceId());
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {"dev\u0000ice | NUL character (line 1)", "dev+ice | wildcard '+'",
            "dev#ice | wildcard '#'", "dev\u200Bice | a zero-width space (U+200B) at position 4"})
    void namesADeviceIdThatCannotBeAClientIdOrTopicLevelBeforeAnyConnection(String id, String problem) throws Exception {
        Files.writeString(dir.resolve("device_id.txt"), id.translateEscapes() + "\n");

        Failure failure = assertThrows(Failure.class, this::read);

        assertEquals(Failure.Kind.BUNDLE, failure.kind());
        assertTrue(failure.getMessage().startsWith(dir.resolve("device_id.txt").toString()), failure.getMessage());
        assertTrue(failure.getMessage().contains(problem), failure.getMessage());
    }

    @Test
    void readsAnApiKeyWithAByteOrderMarkAndWindowsLineEnd() throws Exception {
        Files.writeString(dir.resolve("api_key.txt"), "\uFEFFkey-1 \r\n");

        assertEquals("key-1", read().apiKey().orElseThrow().reveal());
    }
}
