package com.tesaiot.publish.devpki;

import com.tesaiot.publish.testing.pki.PemHeaders;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.bouncycastle.cert.X509CertificateHolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceBundleWriterTest {

    static final DevelopmentPki PKI = DevelopmentPki.create(KeyType.EC, Duration.ofDays(1));

    @TempDir
    Path dir;

    @Test
    void writesEveryFileOfThePlatformLayout() throws Exception {
        IssuedCertificate client = PKI.issueClient("dev-42", KeyType.EC);

        DeviceBundleWriter.write(dir, DeviceBundle.of("dev-42", client, PKI.caChain(), "mqtt.example", 8883)
                .withKeyFormat(PrivateKeyFormat.SEC1_EC, null).withApiKey("secret-api-key"));

        assertEquals("dev-42\n", Files.readString(dir.resolve("device_id.txt")));
        assertEquals("secret-api-key\n", Files.readString(dir.resolve("api_key.txt")));
        assertTrue(Files.readString(dir.resolve("client_key.pem")).startsWith(PemHeaders.begin("EC PRIVATE KEY")));
        Map<?, ?> endpoints = new ObjectMapper().readValue(dir.resolve("endpoints.json").toFile(), Map.class);
        assertEquals(Map.of("mqtt_host", "mqtt.example", "mqtt_mtls_port", 8883), endpoints);
    }

    @Test
    void clientCertificateFileHoldsTheLeafThenTheIntermediateAndTheCaChainHoldsIntermediateThenRoot()
            throws Exception {
        IssuedCertificate client = PKI.issueClient("dev-42", KeyType.RSA);

        DeviceBundleWriter.write(dir, DeviceBundle.of("dev-42", client, PKI.caChain(), "localhost", 1));

        List<Object> clientChain = PemFilesTest.readAll(dir.resolve("client_cert.pem"));
        assertEquals(2, clientChain.size());
        assertArrayEquals(client.certificate().getEncoded(), ((X509CertificateHolder) clientChain.get(0)).getEncoded());
        assertArrayEquals(PKI.intermediate().certificate().getEncoded(),
                ((X509CertificateHolder) clientChain.get(1)).getEncoded());
        List<Object> caChain = PemFilesTest.readAll(dir.resolve("ca-chain.pem"));
        assertEquals(2, caChain.size());
        assertArrayEquals(PKI.root().certificate().getEncoded(), ((X509CertificateHolder) caChain.get(1)).getEncoded());
    }

    @Test
    void privateKeyIsReadableByItsOwnerOnly() throws Exception {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "no POSIX permissions here");

        DeviceBundleWriter.write(dir, DeviceBundle.of("d", PKI.issueClient("d", KeyType.EC), PKI.caChain(), "h", 1));

        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                dir.resolve("client_key.pem"))));
    }

    @Test
    void bundleWithoutApiKeyHasNoApiKeyFileEvenWhenRewritten() throws Exception {
        IssuedCertificate client = PKI.issueClient("d", KeyType.EC);
        DeviceBundle bundle = DeviceBundle.of("d", client, PKI.caChain(), "h", 1);
        DeviceBundleWriter.write(dir, bundle.withApiKey("k"));

        DeviceBundleWriter.write(dir, bundle.withKeyFormat(PrivateKeyFormat.ENCRYPTED_PKCS8, "pw".toCharArray()));

        assertFalse(Files.exists(dir.resolve("api_key.txt")));
        assertTrue(Files.readString(dir.resolve("client_key.pem")).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY"));
    }
}
