package com.tesaiot.publish.bundle;

import com.tesaiot.publish.Failure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Zips that are valid but unusual, as real tools write them: names in a Windows code page, a password, the same
 * file twice. Each is read, or named for what it is, never "neither a folder nor a zip file".
 */
class ZipQuirksTest {
    @TempDir
    Path dir;

    /** The original layout's files; the reader checks presence and text, not PEM contents. */
    static Map<String, String> bundleFiles(String folder) {
        Map<String, String> files = new LinkedHashMap<>();
        files.put(folder + "device_id.txt", "device-7\n");
        files.put(folder + "client_cert.pem", "cert\n");
        files.put(folder + "client_key.pem", "key\n");
        files.put(folder + "ca-chain.pem", "ca\n");
        return files;
    }

    /** A zip of {@code files}, names written in {@code charset} (without the UTF-8 flag unless it is UTF-8). */
    static byte[] zip(Map<String, String> files, Charset charset) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes, charset)) {
            for (Map.Entry<String, String> file : files.entrySet()) {
                zip.putNextEntry(new ZipEntry(file.getKey()));
                zip.write(file.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** Sets the "encrypted" flag of every entry, in its local header and in the central directory. */
    static byte[] flaggedEncrypted(byte[] zip) {
        byte[] out = zip.clone();
        for (int at = 0; at + 10 < out.length; at++) {
            int signature = (out[at] & 0xFF) | (out[at + 1] & 0xFF) << 8 | (out[at + 2] & 0xFF) << 16 | (out[at + 3] & 0xFF) << 24;
            if (signature == 0x04034b50) {
                out[at + 6] |= 1;
            } else if (signature == 0x02014b50) {
                out[at + 8] |= 1;
            }
        }
        return out;
    }

    /** Every occurrence of {@code from} in the zip's bytes (its names) replaced by {@code to}, as long. */
    static byte[] renamed(byte[] zip, String from, String to) {
        String latin = new String(zip, StandardCharsets.ISO_8859_1);
        return latin.replace(from, to).getBytes(StandardCharsets.ISO_8859_1);
    }

    private CredentialBundle read(byte[] zip) throws Exception {
        Path file = Files.write(dir.resolve("bundle.zip"), zip);
        return CredentialBundleReader.read(BundleLocation.at(file), Optional.empty());
    }

    private Failure refusal(byte[] zip) {
        return assertThrows(Failure.class, () -> read(zip));
    }

    @Test
    void readsAZipWhoseNamesAreInAWindowsCodePage() throws Exception {
        byte[] zip = zip(bundleFiles("Zertifikate für Gerät 7/"), Charset.forName("IBM850"));

        CredentialBundle bundle = read(zip);

        assertEquals("device-7", bundle.deviceId());
        assertEquals("key\n", bundle.clientKey().text());
    }

    @Test
    void namesAPasswordProtectedZipAsEncrypted() throws Exception {
        Failure failure = refusal(flaggedEncrypted(zip(bundleFiles(""), StandardCharsets.UTF_8)));

        assertTrue(failure.getMessage().startsWith("encrypted zip: " + dir.resolve("bundle.zip")
                + " is protected by a password (device_id.txt, client_cert.pem, client_key.pem and 1 more), which is"
                + " not supported, extract it"), failure.getMessage());
        assertEquals(Optional.of(Failure.Input.CERTS_DIR), failure.input());
    }

    @Test
    void namesAZipThatInfoZipEncryptedWithAPasswordAsEncrypted() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("files"));
        bundleFiles("").forEach((name, text) -> write(folder.resolve(name), text));
        Path zip = dir.resolve("zip-P.zip");
        Process zipP = new ProcessBuilder("zip", "-q", "-P", "secret", zip.toString(), "device_id.txt", "client_cert.pem",
                "client_key.pem", "ca-chain.pem").directory(folder.toFile()).inheritIO().start();
        assumeTrue(zipP.waitFor() == 0, "Info-ZIP's zip makes a password-protected zip");

        Failure failure = assertThrows(Failure.class,
                () -> CredentialBundleReader.read(BundleLocation.at(zip), Optional.empty()));

        assertTrue(failure.getMessage().startsWith("encrypted zip: "), failure.getMessage());
    }

    @Test
    void refusesTwoEndpointsFilesNamingBothEntries() throws Exception {
        Map<String, String> files = bundleFiles("b/");
        files.put("b/endpoints.json", "{\"mqtt_host\": \"first\"}");
        files.put("b/endpoints.jsoX", "{\"mqtt_host\": \"second\"}");

        Failure failure = refusal(renamed(zip(files, StandardCharsets.UTF_8), "endpoints.jsoX", "endpoints.json"));

        assertEquals(dir.resolve("bundle.zip") + " holds two entries of one name (b/endpoints.json and b/endpoints.json):"
                + " which one is meant is unclear; remove one of them", failure.getMessage());
    }

    @Test
    void refusesTwoKeysOfOneNameEvenWhenOneIsWrittenWithALeadingDotSlash() throws Exception {
        Map<String, String> files = bundleFiles("");
        files.put("./client_key.pem", "another key\n");

        Failure failure = refusal(zip(files, StandardCharsets.UTF_8));

        assertTrue(failure.getMessage().contains("holds two entries of one name (client_key.pem and ./client_key.pem)"),
                failure.getMessage());
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
