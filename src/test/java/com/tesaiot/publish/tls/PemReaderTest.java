package com.tesaiot.publish.tls;

import com.tesaiot.publish.Failure;
import com.tesaiot.publish.bundle.FileOrigin;
import com.tesaiot.publish.bundle.PemFile;
import com.tesaiot.publish.devpki.DevelopmentPki;
import com.tesaiot.publish.devpki.KeyType;
import com.tesaiot.publish.devpki.PemFiles;
import com.tesaiot.publish.devpki.PrivateKeyFormat;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every key form reads as the same key, whichever parser reads it (the JDK's for PKCS#8 and SEC1, BouncyCastle's
 * otherwise).
 */
class PemReaderTest {
    private static final char[] PASSWORD = "secret".toCharArray();

    private static PrivateKey ecKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair().getPrivate();
    }

    private static PemFile file(String text) {
        return new PemFile(new FileOrigin.OnDisk(Path.of("client_key.pem")), text);
    }

    @ParameterizedTest
    @EnumSource(value = PrivateKeyFormat.class, names = "PKCS1_RSA", mode = EnumSource.Mode.EXCLUDE)
    void readsEveryFormOfAnEcKeyAsTheSameKey(PrivateKeyFormat format) throws Exception {
        PrivateKey key = ecKey();
        char[] password = format == PrivateKeyFormat.ENCRYPTED_PKCS8 ? PASSWORD : null;

        PrivateKey read = PemReader.privateKey(file(PemFiles.privateKeyPem(key, format, password)),
                Optional.ofNullable(password));

        // The same private value; BouncyCastle's encoding of a SEC1 key carries the public key too.
        assertEquals(((ECPrivateKey) key).getS(), ((ECPrivateKey) read).getS(), format.name());
    }

    @ParameterizedTest
    @EnumSource(value = PrivateKeyFormat.class, names = "PKCS1_RSA", mode = EnumSource.Mode.EXCLUDE)
    void tellsAKeySealedWithAPasswordFromAnOpenOne(PrivateKeyFormat format) throws Exception {
        char[] password = format == PrivateKeyFormat.ENCRYPTED_PKCS8 ? PASSWORD : null;

        PemFile key = file(PemFiles.privateKeyPem(ecKey(), format, password));

        assertEquals(format == PrivateKeyFormat.ENCRYPTED_PKCS8, PemReader.isEncrypted(key), format.name());
    }

    @Test
    void tellsALegacyEncryptedPemKeyByItsHeader() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        StringWriter text = new StringWriter();
        // "Proc-Type: 4,ENCRYPTED", as openssl ec -aes256 writes it.
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(generator.generateKeyPair(), new JcePEMEncryptorBuilder("AES-256-CBC")
                    .setProvider(new BouncyCastleProvider()).build(PASSWORD));
        }

        assertTrue(PemReader.isEncrypted(file(text.toString())), text.toString().lines().limit(3).toList().toString());
    }

    @Test
    void readsAnRsaPkcs8Key() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        PrivateKey key = generator.generateKeyPair().getPrivate();

        PrivateKey read = PemReader.privateKey(file(PemFiles.privateKeyPem(key, PrivateKeyFormat.PKCS8, null)), Optional.empty());

        assertArrayEquals(key.getEncoded(), read.getEncoded());
    }

    @Test
    void readsACertificateChainInFileOrder() throws Exception {
        List<X509Certificate> chain = DevelopmentPki.create(KeyType.EC, Duration.ofDays(1)).caChain();

        List<X509Certificate> read = PemReader.certificates(file(PemFiles.certificatesPem(chain)));

        assertEquals(chain, read);
    }

    @Test
    void aDamagedPkcs8KeyIsDescribedAsBeforeNotSkippedOrHalfRead() throws Exception {
        String pem = PemFiles.privateKeyPem(ecKey(), PrivateKeyFormat.PKCS8, null);
        String damaged = pem.replaceFirst("(?m)^([A-Za-z0-9+/]{10})", "AAAAAAAAAA");

        Failure failure = assertThrows(Failure.class, () -> PemReader.privateKey(file(damaged), Optional.empty()));

        assertTrue(failure.getMessage().startsWith("client_key.pem "), failure.getMessage());
    }

    /** A SEC1 key file: the EC PARAMETERS block first where there is one, as openssl writes them. */
    private static PemFile sec1File(byte[] sec1, byte[] parametersOrNull) throws IOException {
        StringWriter text = new StringWriter();
        try (PemWriter pem = new PemWriter(text)) {
            if (parametersOrNull != null) {
                pem.writeObject(new PemObject("EC PARAMETERS", parametersOrNull));
            }
            pem.writeObject(new PemObject("EC PRIVATE KEY", sec1));
        }
        return file(text.toString());
    }

    /** What a reading gives: the key, or the message that says why there is none. */
    static Object outcome(KeyReading reading) {
        try {
            return reading.read();
        } catch (Failure failure) {
            return failure.getMessage();
        }
    }

    interface KeyReading {
        PrivateKey read() throws Failure;
    }

    @Test
    void readsASec1KeyWhoseCurveIsOnlyInItsEcParametersBlock() throws Exception {
        KeyPair pair = Sec1EcKeyTest.keyPair("secp256r1");
        PemFile file = sec1File(Sec1EcKeyTest.sec1(pair, null, Sec1EcKeyTest.publicKey(pair)),
                Sec1EcKeyTest.curveOf(pair).getEncoded("DER"));

        // BouncyCastle's reading refuses this file: "EC domain parameters must be encoded in the algorithm identifier".
        ECPrivateKey read = (ECPrivateKey) PemReader.privateKey(file, Optional.empty());

        assertEquals(((ECPrivateKey) pair.getPrivate()).getS(), read.getS());
        assertEquals(((ECPrivateKey) pair.getPrivate()).getParams().toString(), read.getParams().toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("com.tesaiot.publish.tls.Sec1EcKeyTest#unusualKeys")
    void readsOrRefusesAnUnusualSec1KeyExactlyAsBouncyCastleDoes(String name, byte[] sec1, byte[] parameters)
            throws Exception {
        PemFile file = sec1File(sec1, parameters);

        assertEquals(outcome(() -> BouncyCastlePem.privateKey(file, Optional.empty())),
                outcome(() -> PemReader.privateKey(file, Optional.empty())));
    }
}
