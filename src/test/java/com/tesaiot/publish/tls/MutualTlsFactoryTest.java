package com.tesaiot.publish.tls;

import com.tesaiot.publish.Failure;
import com.tesaiot.publish.bundle.BundleLocation;
import com.tesaiot.publish.bundle.CredentialBundle;
import com.tesaiot.publish.bundle.CredentialBundleReader;
import com.tesaiot.publish.devpki.DevelopmentPki;
import com.tesaiot.publish.devpki.DeviceBundle;
import com.tesaiot.publish.devpki.DeviceBundleWriter;
import com.tesaiot.publish.devpki.IssuedCertificate;
import com.tesaiot.publish.devpki.KeyType;
import com.tesaiot.publish.devpki.PemFiles;
import com.tesaiot.publish.devpki.PrivateKeyFormat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECPoint;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertFalse;

class MutualTlsFactoryTest {
    private static final char[] KEY_PASSWORD = "correct horse".toCharArray();
    private static DevelopmentPki pki;

    @TempDir
    Path dir;

    @BeforeAll
    static void makePki() {
        pki = DevelopmentPki.create(KeyType.EC, Duration.ofDays(2));
    }

    private CredentialBundle bundle(KeyType keyType, PrivateKeyFormat format, char[] password) throws Exception {
        IssuedCertificate client = pki.issueClient("device-1", keyType);
        DeviceBundleWriter.write(dir, DeviceBundle.of("device-1", client, pki.caChain(), "localhost", 8883)
                .withKeyFormat(format, password));
        return CredentialBundleReader.read(BundleLocation.at(dir), Optional.empty());
    }

    @ParameterizedTest(name = "{0} key written as {1}")
    @CsvSource({"RSA, PKCS8", "RSA, PKCS1_RSA", "EC, PKCS8", "EC, SEC1_EC", "EC, SEC1_EC_WITH_PARAMETERS"})
    void readsEveryKeyFormOpensslWrites(KeyType keyType, PrivateKeyFormat format) throws Exception {
        MutualTls tls = MutualTlsFactory.create(bundle(keyType, format, null), TlsVersion.TLS_1_2, Optional.empty());

        assertEquals(Optional.of("device-1"), tls.clientCommonName());
        assertEquals(keyType.name(), tls.clientCertificate().getPublicKey().getAlgorithm());
    }

    @ParameterizedTest(name = "encrypted {0} key")
    @CsvSource({"RSA", "EC"})
    void decryptsAnEncryptedKeyWithItsPassword(KeyType keyType) throws Exception {
        IssuedCertificate client = pki.issueClient("device-1", keyType);
        DeviceBundleWriter.write(dir, DeviceBundle.of("device-1", client, pki.caChain(), "localhost", 8883)
                .withKeyFormat(PrivateKeyFormat.ENCRYPTED_PKCS8, KEY_PASSWORD));
        CredentialBundle bundle = CredentialBundleReader.read(BundleLocation.at(dir), Optional.empty());

        MutualTls tls = MutualTlsFactory.create(bundle, TlsVersion.TLS_1_3, Optional.of(KEY_PASSWORD));

        assertArrayEquals(client.privateKey().getEncoded(),
                PemReader.privateKey(bundle.clientKey(), Optional.of(KEY_PASSWORD)).getEncoded(),
                "the decrypted key is the one the certificate was issued for");
        assertEquals(client.certificate(), tls.clientCertificate());
        assertEquals(TlsVersion.TLS_1_3, tls.version());
    }

    @Test
    void asksForThePasswordOfAnEncryptedKey() throws Exception {
        CredentialBundle bundle = bundle(KeyType.EC, PrivateKeyFormat.ENCRYPTED_PKCS8, KEY_PASSWORD);

        Failure failure = assertThrows(Failure.class,
                () -> MutualTlsFactory.create(bundle, TlsVersion.TLS_1_2, Optional.empty()));

        assertEquals(Failure.Kind.BUNDLE, failure.kind());
        assertEquals("client_key.pem is encrypted", failure.getMessage());
        assertEquals(Optional.of(Failure.Input.KEY_PASSWORD), failure.input());
    }

    @Test
    void saysWhenThePasswordOfALegacyEncryptedPemKeyIsWrong() throws Exception {
        bundle(KeyType.EC, PrivateKeyFormat.SEC1_EC, null);
        Object keyPair;
        try (org.bouncycastle.openssl.PEMParser parser = new org.bouncycastle.openssl.PEMParser(
                Files.newBufferedReader(dir.resolve("client_key.pem")))) {
            keyPair = new org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter()
                    .getKeyPair((org.bouncycastle.openssl.PEMKeyPair) parser.readObject());
        }
        // "Proc-Type: 4,ENCRYPTED", as openssl ec -aes256 writes it.
        try (org.bouncycastle.openssl.jcajce.JcaPEMWriter writer = new org.bouncycastle.openssl.jcajce.JcaPEMWriter(
                Files.newBufferedWriter(dir.resolve("client_key.pem")))) {
            writer.writeObject(keyPair, new org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder("AES-256-CBC")
                    .setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider())
                    .build(KEY_PASSWORD));
        }
        CredentialBundle bundle = CredentialBundleReader.read(BundleLocation.at(dir), Optional.empty());

        Failure failure = assertThrows(Failure.class,
                () -> MutualTlsFactory.create(bundle, TlsVersion.TLS_1_2, Optional.of("wrong".toCharArray())));

        assertEquals("client_key.pem could not be decrypted: the key password is wrong", failure.getMessage());
        assertEquals("device-1", MutualTlsFactory.create(bundle, TlsVersion.TLS_1_2, Optional.of(KEY_PASSWORD))
                .clientCommonName().orElseThrow(), "the right password reads it");
    }

    @Test
    void saysWhenTheKeyPasswordIsWrong() throws Exception {
        CredentialBundle bundle = bundle(KeyType.RSA, PrivateKeyFormat.ENCRYPTED_PKCS8, KEY_PASSWORD);

        Failure failure = assertThrows(Failure.class,
                () -> MutualTlsFactory.create(bundle, TlsVersion.TLS_1_2, Optional.of("wrong".toCharArray())));

        assertEquals("client_key.pem could not be decrypted: the key password is wrong", failure.getMessage());
    }

    @ParameterizedTest(name = "{0} keys")
    @CsvSource({"RSA", "EC"})
    void refusesAKeyThatDoesNotMatchTheCertificate(KeyType keyType) throws Exception {
        bundle(keyType, PrivateKeyFormat.PKCS8, null);
        PemFiles.writePrivateKey(dir.resolve("client_key.pem"), pki.issueClient("device-1", keyType).privateKey(),
                PrivateKeyFormat.PKCS8, null);
        CredentialBundle mismatched = CredentialBundleReader.read(BundleLocation.at(dir), Optional.empty());

        Failure failure = assertThrows(Failure.class,
                () -> MutualTlsFactory.create(mismatched, TlsVersion.TLS_1_2, Optional.empty()));

        assertEquals(Failure.Kind.BUNDLE, failure.kind());
        assertTrue(failure.getMessage().startsWith("client_key.pem does not match client_cert.pem (different public keys)"),
                failure.getMessage());
    }

    @Test
    void judgesAnEcKeyByThePublicPointItsFileCarriesAndBySigningWhenThatPointIsAnother() throws Exception {
        IssuedCertificate device = pki.issueClient("device-1", KeyType.EC);
        IssuedCertificate other = pki.issueClient("device-2", KeyType.EC);
        PrivateKey key = device.privateKey();
        PublicKey own = device.certificate().getPublicKey(), others = other.certificate().getPublicKey();
        Optional<ECPoint> ownPoint = Optional.of(((ECPublicKey) own).getW());
        Optional<ECPoint> othersPoint = Optional.of(((ECPublicKey) others).getW());

        assertTrue(MutualTlsFactory.belongTogether(key, ownPoint, own));
        assertFalse(MutualTlsFactory.belongTogether(key, ownPoint, others), "the point differs: signing decides");
        assertTrue(MutualTlsFactory.belongTogether(key, othersPoint, own), "a stray point: signing decides");
        assertTrue(MutualTlsFactory.belongTogether(key, Optional.empty(), own));
        assertFalse(MutualTlsFactory.belongTogether(key, Optional.empty(), others));
        assertTrue(MutualTlsFactory.belongTogether(key, othersPoint, others),
                "a point that is the certificate's decides without signing (the handshake judges the private value)");
    }

    @Test
    void namesACertificateFileThatHoldsAKey() throws Exception {
        bundle(KeyType.EC, PrivateKeyFormat.PKCS8, null);
        Files.copy(dir.resolve("client_key.pem"), dir.resolve("client_cert.pem"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        CredentialBundle swapped = CredentialBundleReader.read(BundleLocation.at(dir), Optional.empty());

        Failure failure = assertThrows(Failure.class,
                () -> MutualTlsFactory.create(swapped, TlsVersion.TLS_1_2, Optional.empty()));

        assertEquals("client_cert.pem holds a PRIVATE KEY, not a certificate", failure.getMessage());
    }

    @Test
    void namesAKeyFileThatHoldsACertificate() throws Exception {
        bundle(KeyType.EC, PrivateKeyFormat.PKCS8, null);
        Files.copy(dir.resolve("ca-chain.pem"), dir.resolve("client_key.pem"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        CredentialBundle swapped = CredentialBundleReader.read(BundleLocation.at(dir), Optional.empty());

        Failure failure = assertThrows(Failure.class,
                () -> MutualTlsFactory.create(swapped, TlsVersion.TLS_1_2, Optional.empty()));

        assertEquals("client_key.pem holds a CERTIFICATE, not a private key", failure.getMessage());
    }

    @Test
    void namesAFileThatIsNotPemAtAll() throws Exception {
        bundle(KeyType.EC, PrivateKeyFormat.PKCS8, null);
        Files.writeString(dir.resolve("ca-chain.pem"), "this is not a certificate\n");
        CredentialBundle garbage = CredentialBundleReader.read(BundleLocation.at(dir), Optional.empty());

        Failure failure = assertThrows(Failure.class,
                () -> MutualTlsFactory.create(garbage, TlsVersion.TLS_1_2, Optional.empty()));

        assertEquals(Failure.Kind.BUNDLE, failure.kind());
        assertEquals("ca-chain.pem holds no PEM certificate (no -----BEGIN CERTIFICATE----- block)", failure.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"client_key.pem", "client_cert.pem", "ca-chain.pem"})
    void namesBase64GarbageBetweenValidMarkersAsABundleProblem(String file) throws Exception {
        bundle(KeyType.EC, PrivateKeyFormat.SEC1_EC, null);
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(dir.resolve(file)));
        lines.set(2, "%%%% not base64 at all %%%%");
        Files.write(dir.resolve(file), lines);
        CredentialBundle garbage = CredentialBundleReader.read(BundleLocation.at(dir), Optional.empty());

        Failure failure = assertThrows(Failure.class,
                () -> MutualTlsFactory.create(garbage, TlsVersion.TLS_1_2, Optional.empty()));

        assertEquals(Failure.Kind.BUNDLE, failure.kind());
        assertTrue(failure.getMessage().startsWith(file + " "), failure.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"client_key.pem", "client_cert.pem", "ca-chain.pem"})
    void readsPemFilesWithAByteOrderMarkWindowsLineEndsAndTrailingSpaces(String file) throws Exception {
        bundle(KeyType.EC, PrivateKeyFormat.SEC1_EC, null);
        String text = Files.readString(dir.resolve(file));
        Files.writeString(dir.resolve(file), "\uFEFF" + text.replace("\n", "  \r\n"));
        CredentialBundle edited = CredentialBundleReader.read(BundleLocation.at(dir), Optional.empty());

        assertEquals("device-1", MutualTlsFactory.create(edited, TlsVersion.TLS_1_2, Optional.empty()).clientCommonName().orElseThrow());
    }

    @Test
    void presentsTheIntermediateEvenWhenClientCertHoldsOnlyTheLeaf() throws Exception {
        bundle(KeyType.EC, PrivateKeyFormat.PKCS8, null);
        IssuedCertificate client = pki.issueClient("device-1", KeyType.EC);
        PemFiles.writeCertificates(dir.resolve("client_cert.pem"), client.certificate());
        PemFiles.writePrivateKey(dir.resolve("client_key.pem"), client.privateKey(), PrivateKeyFormat.PKCS8, null);
        CredentialBundle leafOnly = CredentialBundleReader.read(BundleLocation.at(dir), Optional.empty());

        MutualTls tls = MutualTlsFactory.create(leafOnly, TlsVersion.TLS_1_2, Optional.empty());

        assertEquals(2, tls.clientChain().size());
        assertEquals(pki.intermediate().certificate(), tls.clientChain().get(1));
    }

    @Test
    void readsTheExampleBundleShippedInTheRepository() throws Exception {
        CredentialBundle example = CredentialBundleReader.read(
                BundleLocation.at(Path.of("certs_credentials.example")), Optional.empty());

        MutualTls tls = MutualTlsFactory.create(example, TlsVersion.TLS_1_2, Optional.empty());

        assertEquals(Optional.of(example.deviceId()), tls.clientCommonName());
        assertFalse(example.apiKey().isPresent());
    }
}
