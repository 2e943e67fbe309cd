package com.tesaiot.publish.devpki;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Pkcs12StoresTest {

    static final char[] PASSWORD = "changeit".toCharArray();

    @TempDir
    Path dir;

    @Test
    void keyStoreFileHoldsTheKeyWithItsChain() throws Exception {
        DevelopmentPki pki = DevelopmentPki.create(KeyType.RSA, Duration.ofDays(1));
        IssuedCertificate server = pki.issueServer(List.of("localhost"), KeyType.EC);
        Path file = dir.resolve("server.p12");

        Pkcs12Stores.writeKeyStore(file, server, List.of(pki.intermediate().certificate()), PASSWORD);

        KeyStore read = load(file);
        PrivateKey key = (PrivateKey) read.getKey(Pkcs12Stores.KEY_ALIAS, PASSWORD);
        assertEquals(PemFilesTest.secret(server.privateKey()), PemFilesTest.secret(key));
        Certificate[] chain = read.getCertificateChain(Pkcs12Stores.KEY_ALIAS);
        assertEquals(2, chain.length);
        assertArrayEquals(pki.intermediate().certificate().getEncoded(), chain[1].getEncoded());
    }

    @Test
    void trustStoreFileHoldsEachCertificateAsTrusted() throws Exception {
        DevelopmentPki pki = DevelopmentPki.create(KeyType.EC, Duration.ofDays(1));
        Path file = dir.resolve("trust.p12");

        Pkcs12Stores.writeTrustStore(file, pki.caChain(), PASSWORD);

        KeyStore read = load(file);
        assertEquals(2, read.size());
        assertEquals("ca-1", read.getCertificateAlias(pki.root().certificate()));
        assertEquals(true, read.isCertificateEntry("ca-1"));
    }

    private static KeyStore load(Path file) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, PASSWORD);
        }
        return store;
    }
}
