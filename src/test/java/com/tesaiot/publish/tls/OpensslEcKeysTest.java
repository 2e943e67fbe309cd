package com.tesaiot.publish.tls;

import com.tesaiot.publish.bundle.FileOrigin;
import com.tesaiot.publish.bundle.PemFile;
import com.tesaiot.publish.testing.pki.PemHeaders;
import com.tesaiot.publish.testing.tool.Openssl;
import org.bouncycastle.util.io.pem.PemObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECPoint;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * EC key files as openssl writes them, made by openssl here: every unencrypted key on a named curve is read by the JDK
 * as the very key BouncyCastle reads, and signs for its public key; the rest is left to BouncyCastle. Skipped
 * without openssl.
 */
class OpensslEcKeysTest {
    private static final String PASSWORD = "correct horse";

    @TempDir
    Path dir;

    /** How the key file is made: options of {@code openssl ecparam -name CURVE -genkey}, then of {@code openssl ec}. */
    enum Form {
        /** {@code ecparam -genkey -noout}: the key, with its curve and public key. The common device key. */
        ALONE(List.of("-noout"), List.of()),
        /** {@code ecparam -genkey}: an EC PARAMETERS block, then the key. */
        AFTER_EC_PARAMETERS(List.of(), List.of()),
        /** {@code ec -no_public}: the key without its public key. */
        NO_PUBLIC_KEY(List.of("-noout"), List.of("-no_public")),
        /** {@code ecparam -param_enc explicit}: the curve spelt out in full instead of named. */
        EXPLICIT_CURVE(List.of("-noout", "-param_enc", "explicit"), List.of()),
        /** {@code ec -conv_form compressed}: the public key as a compressed point. */
        COMPRESSED_PUBLIC_KEY(List.of("-noout"), List.of("-conv_form", "compressed")),
        /** {@code ec -aes256}: legacy encrypted PEM, "Proc-Type: 4,ENCRYPTED". */
        ENCRYPTED(List.of("-noout"), List.of("-aes256", "-passout", "pass:" + PASSWORD));

        final List<String> genkeyOptions;
        final List<String> ecOptions;

        Form(List<String> genkeyOptions, List<String> ecOptions) {
            this.genkeyOptions = genkeyOptions;
            this.ecOptions = ecOptions;
        }
    }

    @BeforeAll
    static void opensslIsInstalled() {
        assumeTrue(Openssl.installed(), "openssl is not installed: skipping the keys openssl makes");
    }

    static Stream<Arguments> unencryptedNamedCurveKeys() {
        return Stream.of("prime256v1", "secp384r1", "secp521r1").flatMap(curve -> Stream.of(Form.ALONE,
                Form.AFTER_EC_PARAMETERS, Form.NO_PUBLIC_KEY, Form.COMPRESSED_PUBLIC_KEY)
                .map(form -> Arguments.of(curve, form)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("unencryptedNamedCurveKeys")
    void readsEveryUnencryptedKeyOnANamedCurveWithTheJdkAsTheKeyBouncyCastleReads(String curve, Form form)
            throws Exception {
        PemFile file = keyFile(curve, form);

        PrivateKey read = PemReader.privateKey(file, Optional.empty());

        List<PemObject> blocks = blocks(file);
        Optional<byte[]> parameters = blocks.size() == 2 ? Optional.of(blocks.get(0).getContent()) : Optional.empty();
        assertTrue(Sec1EcKey.pkcs8(blocks.get(blocks.size() - 1).getContent(), parameters).isPresent(),
                "the JDK reads it");
        assertEquals(BouncyCastlePem.privateKey(file, Optional.empty()), read);
        assertTrue(signsForItsPublicKey(read), "a signature by the key verifies with openssl's public key");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("unencryptedNamedCurveKeys")
    void findsThePublicPointOpensslWritesBesideTheKeyAlsoAfterPkcs8(String curve, Form form) throws Exception {
        PemFile sec1 = keyFile(curve, form);
        assertSucceeds(List.of("pkcs8", "-topk8", "-nocrypt", "-in", "made.pem", "-out", "pkcs8.pem"));
        PemFile pkcs8 = new PemFile(new FileOrigin.OnDisk(Path.of("client_key.pem")),
                Files.readString(dir.resolve("pkcs8.pem"), StandardCharsets.US_ASCII));
        ECPoint opensslsPoint = ((ECPublicKey) publicKey()).getW();

        boolean carried = form == Form.ALONE || form == Form.AFTER_EC_PARAMETERS;
        assertEquals(carried ? Optional.of(opensslsPoint) : Optional.empty(),
                PemReader.clientKey(sec1, Optional.empty()).carriedPoint());
        assertEquals(Optional.of(opensslsPoint), PemReader.clientKey(pkcs8, Optional.empty()).carriedPoint(),
                "openssl pkcs8 keeps the point");
    }

    @Test
    void readsALegacyEncryptedKeyWithBouncyCastle() throws Exception {
        PemFile file = keyFile("prime256v1", Form.ENCRYPTED);
        Optional<char[]> password = Optional.of(PASSWORD.toCharArray());

        PrivateKey read = PemReader.privateKey(file, password);

        assertEquals(BouncyCastlePem.privateKey(file, password), read);
        assertTrue(signsForItsPublicKey(read), "a signature by the key verifies with openssl's public key");
    }

    @Test
    void refusesAKeyOnAnExplicitCurveInBouncyCastlesWords() throws Exception {
        PemFile file = keyFile("prime256v1", Form.EXPLICIT_CURVE);

        Object outcome = PemReaderTest.outcome(() -> PemReader.privateKey(file, Optional.empty()));

        assertEquals(PemReaderTest.outcome(() -> BouncyCastlePem.privateKey(file, Optional.empty())), outcome);
        assertTrue(outcome.toString().startsWith("client_key.pem holds a private key that cannot be decoded"),
                outcome.toString()); // the JDK reads keys on named curves only
    }

    /** A key file openssl makes on {@code curve} in {@code form}, and its public key beside it in public.pem. */
    private PemFile keyFile(String curve, Form form) throws Exception {
        List<String> genkey = new ArrayList<>(List.of("ecparam", "-name", curve, "-genkey", "-out", "made.pem"));
        genkey.addAll(form.genkeyOptions);
        assertSucceeds(genkey);
        Path key = dir.resolve("made.pem");
        if (!form.ecOptions.isEmpty()) {
            List<String> ec = new ArrayList<>(List.of("ec", "-in", "made.pem", "-out", "key.pem"));
            ec.addAll(form.ecOptions);
            assertSucceeds(ec);
            key = dir.resolve("key.pem");
        }
        assertSucceeds(List.of("ec", "-in", "made.pem", "-pubout", "-out", "public.pem"));
        String text = Files.readString(key, StandardCharsets.US_ASCII);
        assertTrue(text.contains(PemHeaders.begin("EC PRIVATE KEY")), text.lines().findFirst().orElse(""));
        return new PemFile(new FileOrigin.OnDisk(Path.of("client_key.pem")), text);
    }

    private static List<PemObject> blocks(PemFile file) throws IOException {
        List<PemObject> blocks = new ArrayList<>();
        try (var reader = new org.bouncycastle.util.io.pem.PemReader(new StringReader(file.text()))) {
            for (PemObject block = reader.readPemObject(); block != null; block = reader.readPemObject()) {
                blocks.add(block);
            }
        }
        return blocks;
    }

    /** The public key openssl wrote beside the key file. */
    private PublicKey publicKey() throws Exception {
        PemObject block = blocks(new PemFile(new FileOrigin.OnDisk(Path.of("public.pem")),
                Files.readString(dir.resolve("public.pem")))).get(0);
        return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(block.getContent()));
    }

    private boolean signsForItsPublicKey(PrivateKey key) throws Exception {
        PublicKey publicKey = publicKey();
        byte[] probe = "a reading".getBytes(StandardCharsets.US_ASCII);
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(key);
        signer.update(probe);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(publicKey);
        verifier.update(probe);
        return verifier.verify(signature);
    }

    private void assertSucceeds(List<String> arguments) throws IOException {
        Openssl result = Openssl.run(dir, arguments);
        assertEquals(0, result.exitCode(), () -> "openssl " + String.join(" ", arguments) + "\n" + result.output());
    }
}
