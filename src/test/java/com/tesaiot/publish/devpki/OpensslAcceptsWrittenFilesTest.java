package com.tesaiot.publish.devpki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.tesaiot.publish.testing.tool.Openssl;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The files we write are the files openssl (and so mosquitto and the platform) reads. Skipped without openssl. */
class OpensslAcceptsWrittenFilesTest {

    static final DevelopmentPki PKI = DevelopmentPki.create(KeyType.EC, Duration.ofDays(1));
    static final String PASSWORD = "correct horse";

    @TempDir
    Path dir;

    @BeforeAll
    static void opensslIsInstalled() {
        assumeTrue(Openssl.installed(), "openssl is not installed: skipping the openssl cross-checks");
    }

    @Test
    void opensslVerifiesTheClientCertificateAgainstTheBundlesCaChain() throws Exception {
        DeviceBundleWriter.write(dir, DeviceBundle.of("dev-1", PKI.issueClient("dev-1", KeyType.EC),
                PKI.caChain(), "localhost", 8883));

        assertSucceeds("openssl", "verify", "-purpose", "sslclient", "-CAfile", "ca-chain.pem", "client_cert.pem");
    }

    @Test
    void opensslBuildsThePathFromTheClientCertificateFileWhenOnlyTheRootIsTrusted() throws Exception {
        // What a broker trusting only the root sees: the client sends leaf + intermediate from client_cert.pem.
        DeviceBundleWriter.write(dir, DeviceBundle.of("dev-1", PKI.issueClient("dev-1", KeyType.RSA),
                PKI.caChain(), "localhost", 8883));
        PemFiles.writeCertificates(dir.resolve("root.pem"), PKI.root().certificate());

        assertSucceeds("openssl", "verify", "-CAfile", "root.pem", "-untrusted", "client_cert.pem",
                "client_cert.pem");
    }

    @Test
    void opensslVerifiesTheServerCertificateForItsNames() throws Exception {
        IssuedCertificate server = PKI.issueServer(List.of("localhost", "127.0.0.1"), KeyType.EC);
        PemFiles.writeCertificates(dir.resolve("server.pem"), server.certificate());
        PemFiles.writeCertificates(dir.resolve("ca-chain.pem"), PKI.caChain());

        assertSucceeds("openssl", "verify", "-purpose", "sslserver", "-verify_hostname", "localhost",
                "-CAfile", "ca-chain.pem", "server.pem");
        assertSucceeds("openssl", "verify", "-purpose", "sslserver", "-verify_ip", "127.0.0.1",
                "-CAfile", "ca-chain.pem", "server.pem");
    }

    @ParameterizedTest(name = "{0} key as {1}")
    @MethodSource("com.tesaiot.publish.devpki.PemFilesTest#formats")
    void opensslReadsEveryKeyFormatAndFindsTheCertificatesPublicKey(KeyType keyType, PrivateKeyFormat format)
            throws Exception {
        char[] password = format == PrivateKeyFormat.ENCRYPTED_PKCS8 ? PASSWORD.toCharArray() : null;
        DeviceBundleWriter.write(dir, DeviceBundle.of("dev-1", PKI.issueClient("dev-1", keyType), PKI.caChain(),
                "localhost", 8883).withKeyFormat(format, password));

        List<String> pkey = new ArrayList<>(List.of("openssl", "pkey", "-in", "client_key.pem"));
        if (password != null) {
            pkey.addAll(List.of("-passin", "pass:" + PASSWORD));
        }
        assertSucceeds(concat(pkey, "-noout"));
        String keysPublicKey = assertSucceeds(concat(pkey, "-pubout"));
        String certificatesPublicKey = assertSucceeds("openssl", "x509", "-in", "client_cert.pem", "-noout",
                "-pubkey");
        assertEquals(certificatesPublicKey, keysPublicKey);
    }

    private static List<String> concat(List<String> command, String... more) {
        List<String> all = new ArrayList<>(command);
        all.addAll(List.of(more));
        return all;
    }

    private String assertSucceeds(String... command) throws Exception {
        return assertSucceeds(List.of(command));
    }

    private String assertSucceeds(List<String> command) throws Exception {
        if (!command.get(0).equals("openssl")) {
            throw new IllegalArgumentException("an openssl command: " + command);
        }
        Openssl result = Openssl.run(dir, command.subList(1, command.size()));
        assertEquals(0, result.exitCode(), () -> String.join(" ", command) + "\n" + result.output());
        return result.output();
    }
}
