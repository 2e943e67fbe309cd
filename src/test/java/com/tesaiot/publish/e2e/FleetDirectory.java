package com.tesaiot.publish.e2e;

import com.tesaiot.publish.devpki.DevelopmentPki;
import com.tesaiot.publish.devpki.DeviceBundle;
import com.tesaiot.publish.devpki.DeviceBundleWriter;
import com.tesaiot.publish.devpki.IssuedCertificate;
import com.tesaiot.publish.devpki.KeyType;
import com.tesaiot.publish.devpki.PemFiles;
import com.tesaiot.publish.devpki.PrivateKeyFormat;
import com.tesaiot.publish.testing.tool.ToolRun;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A fleet directory for a test broker: the broker's CA kept as {@code bundle create --devices} keeps its own, so
 * that {@code bundle create --ca DIR --devices N} adds devices the broker trusts; and broken bundles beside them.
 */
final class FleetDirectory {
    static final String EXPIRED = "broken-expired";
    static final String WRONG_CA = "broken-wrong-ca";
    static final String KEY_MISMATCH = "broken-key-mismatch";

    private FleetDirectory() {
    }

    /**
     * {@code devices} bundles device-00001, ... made by the tool itself, signed by {@code pki}, for localhost:port;
     * returns the folder that holds them (the fleet's devices/, beside its ca/).
     */
    static Path create(Path dir, DevelopmentPki pki, int port, int devices) throws IOException {
        Path ca = Files.createDirectories(dir.resolve("ca"));
        PemFiles.writeCertificates(ca.resolve("root.pem"), pki.root().certificate());
        PemFiles.writePrivateKey(ca.resolve("root.key"), pki.root().privateKey(), PrivateKeyFormat.PKCS8, null);
        PemFiles.writeCertificates(ca.resolve("intermediate.pem"), pki.intermediate().certificate());
        PemFiles.writePrivateKey(ca.resolve("intermediate.key"), pki.intermediate().privateKey(), PrivateKeyFormat.PKCS8, null);
        ToolRun made = ToolRun.run("bundle", "create", "--ca", dir.toString(), "--devices", String.valueOf(devices),
                "--host", "localhost", "--port", String.valueOf(port));
        assertEquals(0, made.exitCode(), made.err());
        return dir.resolve("devices");
    }

    /** Three bundles no broker accepts: an expired certificate, one from another CA, a key of another certificate. */
    static void addBrokenBundles(Path dir, DevelopmentPki pki, int port) throws IOException {
        Instant now = Instant.now();
        write(dir, EXPIRED, pki.issueClient(EXPIRED, KeyType.EC, now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(1))), pki, port);
        DevelopmentPki other = DevelopmentPki.create(KeyType.EC, Duration.ofDays(1));
        write(dir, WRONG_CA, other.issueClient(WRONG_CA, KeyType.EC), pki, port);
        IssuedCertificate certificate = pki.issueClient(KEY_MISMATCH, KeyType.EC);
        IssuedCertificate stranger = pki.issueClient(KEY_MISMATCH, KeyType.EC);
        write(dir, KEY_MISMATCH, new IssuedCertificate(certificate.certificate(), stranger.privateKey()), pki, port);
    }

    /** Replaces the bundle folder {@code name} with {@code name.zip} holding the same files, as a download comes. */
    static void zip(Path dir, String name) throws IOException {
        Path folder = dir.resolve(name);
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(
                Files.newOutputStream(dir.resolve(name + ".zip")));
             java.util.stream.Stream<Path> files = Files.list(folder)) {
            for (Path file : files.sorted().toList()) {
                zip.putNextEntry(new java.util.zip.ZipEntry(file.getFileName().toString()));
                zip.write(Files.readAllBytes(file));
                zip.closeEntry();
            }
        }
        try (java.util.stream.Stream<Path> files = Files.list(folder)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(folder);
    }

    static List<String> brokenIds() {
        return List.of(EXPIRED, KEY_MISMATCH, WRONG_CA);
    }

    private static void write(Path dir, String id, IssuedCertificate client, DevelopmentPki pki, int port) throws IOException {
        DeviceBundleWriter.write(dir.resolve(id), DeviceBundle.of(id, client, pki.caChain(), "localhost", port));
    }
}
