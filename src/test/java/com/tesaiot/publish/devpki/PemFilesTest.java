package com.tesaiot.publish.devpki;

import com.tesaiot.publish.testing.pki.PemHeaders;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PemFilesTest {

    static final char[] PASSWORD = "correct horse".toCharArray();
    static final DevelopmentPki PKI = DevelopmentPki.create(KeyType.EC, Duration.ofDays(1));

    @TempDir
    Path dir;

    /** Every key format with every key type it applies to. */
    static Stream<Arguments> formats() {
        List<Arguments> all = new ArrayList<>();
        for (KeyType keyType : KeyType.values()) {
            all.add(Arguments.of(keyType, PrivateKeyFormat.PKCS8));
            all.add(Arguments.of(keyType, PrivateKeyFormat.ENCRYPTED_PKCS8));
            if (keyType == KeyType.RSA) {
                all.add(Arguments.of(keyType, PrivateKeyFormat.PKCS1_RSA));
            } else {
                all.add(Arguments.of(keyType, PrivateKeyFormat.SEC1_EC));
                all.add(Arguments.of(keyType, PrivateKeyFormat.SEC1_EC_WITH_PARAMETERS));
            }
        }
        return all.stream();
    }

    static String header(PrivateKeyFormat format) {
        return switch (format) {
            case PKCS8 -> PemHeaders.begin("PRIVATE KEY");
            case PKCS1_RSA -> PemHeaders.begin("RSA PRIVATE KEY");
            case SEC1_EC -> PemHeaders.begin("EC PRIVATE KEY");
            case SEC1_EC_WITH_PARAMETERS -> PemHeaders.begin("EC PARAMETERS");
            case ENCRYPTED_PKCS8 -> PemHeaders.begin("ENCRYPTED PRIVATE KEY");
        };
    }

    static char[] passwordFor(PrivateKeyFormat format) {
        return format == PrivateKeyFormat.ENCRYPTED_PKCS8 ? PASSWORD : null;
    }

    @ParameterizedTest(name = "{0} key as {1}")
    @MethodSource("formats")
    void eachKeyFormatStartsWithTheHeaderOpensslWrites(KeyType keyType, PrivateKeyFormat format) throws Exception {
        Path file = dir.resolve("key.pem");
        PemFiles.writePrivateKey(file, PKI.issueClient("d", keyType).privateKey(), format, passwordFor(format));

        List<String> lines = Files.readAllLines(file);
        assertEquals(header(format), lines.get(0));
        if (format == PrivateKeyFormat.SEC1_EC_WITH_PARAMETERS) {
            assertTrue(lines.contains(PemHeaders.begin("EC PRIVATE KEY")), lines::toString);
        }
    }

    @ParameterizedTest(name = "{0} key as {1}")
    @MethodSource("formats")
    void eachKeyFormatReadsBackThroughBouncyCastleToTheKeyOfTheCertificate(KeyType keyType, PrivateKeyFormat format)
            throws Exception {
        IssuedCertificate client = PKI.issueClient("d", keyType);
        Path file = dir.resolve("key.pem");
        PemFiles.writePrivateKey(file, client.privateKey(), format, passwordFor(format));

        PrivateKey read = readPrivateKey(file, PASSWORD);

        assertTrue(belongTogether(read, client.certificate().getPublicKey()), "key does not match the certificate");
        assertEquals(secret(client.privateKey()), secret(read));
    }

    @Test
    void sec1KeysCarryTheirPublicKeyAsOpensslWritesThem() throws Exception {
        IssuedCertificate client = PKI.issueClient("d", KeyType.EC);
        Path file = dir.resolve("key.pem");
        PemFiles.writePrivateKey(file, client.privateKey(), PrivateKeyFormat.SEC1_EC, null);

        try (PEMParser parser = new PEMParser(Files.newBufferedReader(file))) {
            PEMKeyPair pair = assertInstanceOf(PEMKeyPair.class, parser.readObject());
            PublicKey publicKey = new JcaPEMKeyConverter().getPublicKey(pair.getPublicKeyInfo());
            assertEquals(client.certificate().getPublicKey(), publicKey);
        }
    }

    @Test
    void certificatesAreWrittenInOrderAndReadBack() throws Exception {
        Path file = dir.resolve("chain.pem");
        X509Certificate leaf = PKI.issueClient("d", KeyType.EC).certificate();
        PemFiles.writeCertificates(file, leaf, PKI.intermediate().certificate(), PKI.root().certificate());

        List<Object> objects = readAll(file);
        assertEquals(3, objects.size());
        assertArrayEquals(leaf.getEncoded(), ((X509CertificateHolder) objects.get(0)).getEncoded());
        assertArrayEquals(PKI.root().certificate().getEncoded(), ((X509CertificateHolder) objects.get(2)).getEncoded());
    }

    @Test
    void refusesAFormatThatDoesNotFitTheKeyOrAMisplacedPassword() {
        PrivateKey ec = PKI.issueClient("d", KeyType.EC).privateKey();
        PrivateKey rsa = PKI.issueClient("d", KeyType.RSA).privateKey();

        assertThrows(IllegalArgumentException.class,
                () -> PemFiles.privateKeyPem(ec, PrivateKeyFormat.PKCS1_RSA, null));
        assertThrows(IllegalArgumentException.class,
                () -> PemFiles.privateKeyPem(rsa, PrivateKeyFormat.SEC1_EC_WITH_PARAMETERS, null));
        assertThrows(IllegalArgumentException.class,
                () -> PemFiles.privateKeyPem(ec, PrivateKeyFormat.ENCRYPTED_PKCS8, null));
        assertThrows(IllegalArgumentException.class,
                () -> PemFiles.privateKeyPem(ec, PrivateKeyFormat.PKCS8, PASSWORD));
    }

    /** Reads the one private key in {@code file} the way the tls package does, skipping EC PARAMETERS. */
    static PrivateKey readPrivateKey(Path file, char[] password) throws Exception {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        for (Object object : readAll(file)) {
            if (object instanceof ASN1ObjectIdentifier) {
                continue; // the EC PARAMETERS block
            }
            if (object instanceof PEMKeyPair pair) {
                return converter.getKeyPair(pair).getPrivate();
            }
            if (object instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            if (object instanceof PKCS8EncryptedPrivateKeyInfo encrypted) {
                return converter.getPrivateKey(encrypted.decryptPrivateKeyInfo(
                        new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(new BouncyCastleProvider())
                                .build(password)));
            }
            throw new AssertionError("unexpected PEM object " + object.getClass());
        }
        throw new AssertionError("no private key in " + file);
    }

    static List<Object> readAll(Path file) throws Exception {
        List<Object> objects = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file); PEMParser parser = new PEMParser(reader)) {
            for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                objects.add(object);
            }
        }
        return objects;
    }

    /** The secret number of an EC or RSA key, independent of how the key object encodes itself. */
    static java.math.BigInteger secret(PrivateKey key) {
        return key instanceof java.security.interfaces.ECPrivateKey ec ? ec.getS()
                : ((java.security.interfaces.RSAPrivateKey) key).getPrivateExponent();
    }

    /** True when a signature made with {@code key} verifies with {@code publicKey}. */
    static boolean belongTogether(PrivateKey key, PublicKey publicKey) throws Exception {
        String algorithm = key.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        byte[] data = "tesaiot".getBytes();
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(key);
        signer.update(data);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(publicKey);
        verifier.update(data);
        return verifier.verify(signature);
    }
}
