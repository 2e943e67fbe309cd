package com.tesaiot.publish.tls;

import com.tesaiot.publish.Failure;
import com.tesaiot.publish.bundle.PemFile;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the bundle's PEM files: certificates, and private keys in every form a platform or openssl writes (PKCS#1
 * RSA, PKCS#8, SEC1 EC with or without a leading EC PARAMETERS block, encrypted PKCS#8 and legacy encrypted PEM).
 * The JDK reads certificates and unencrypted PKCS#8 keys itself; {@link BouncyCastlePem} reads the other key forms,
 * and every file the JDK does not read, so that a bad file is described in the same words whichever form it claims.
 * A run whose files the JDK reads loads none of BouncyCastle's classes (some 100 to 150).
 */
public final class PemReader {
    private static final Pattern BEGIN = Pattern.compile("^-----BEGIN ([A-Z0-9 ]+)-----\\s*$", Pattern.MULTILINE);
    /** The PEM type of an unencrypted PKCS#8 key, the one key form the JDK reads. */
    private static final String PKCS8_KEY = "PRIVATE KEY";
    /** The base64 body of a PKCS#8 key block, from the line after its BEGIN line to its END line. */
    private static final Pattern PKCS8_BODY = Pattern.compile("-----BEGIN " + PKCS8_KEY + "-----[ \\t]*\\R(.*?)-----END "
            + PKCS8_KEY + "-----", Pattern.DOTALL);
    /** The algorithms a PKCS#8 key of a device may be for, most likely first; the encoding names its own. */
    private static final List<String> KEY_ALGORITHMS = List.of("EC", "RSA", "Ed25519", "RSASSA-PSS");

    private PemReader() {
    }

    /** Every certificate in the file, in file order; at least one. */
    public static List<X509Certificate> certificates(PemFile file) throws Failure {
        Optional<List<X509Certificate>> read = jdkCertificates(file);
        return read.isPresent() ? read.get() : BouncyCastlePem.certificates(file);
    }

    /** The one private key in the file, decrypted with the password where it is encrypted. */
    public static PrivateKey privateKey(PemFile file, Optional<char[]> password) throws Failure {
        Optional<PrivateKey> read = jdkPrivateKey(file);
        return read.isPresent() ? read.get() : BouncyCastlePem.privateKey(file, password);
    }

    /** The certificates of a file that holds nothing but certificates, read by the JDK; empty for anything else. */
    private static Optional<List<X509Certificate>> jdkCertificates(PemFile file) {
        List<String> blocks = blocks(file);
        if (blocks.isEmpty() || !blocks.stream().allMatch("CERTIFICATE"::equals)) {
            return Optional.empty();
        }
        try {
            List<X509Certificate> certificates = new ArrayList<>();
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(
                    new ByteArrayInputStream(file.text().getBytes(StandardCharsets.US_ASCII)))) {
                certificates.add((X509Certificate) certificate);
            }
            return certificates.size() == blocks.size() ? Optional.of(certificates) : Optional.empty();
        } catch (CertificateException | RuntimeException e) {
            return Optional.empty(); // BouncyCastle's reading names what is wrong
        }
    }

    /** The key of a file whose one block is an unencrypted PKCS#8 key, read by the JDK; empty for anything else. */
    private static Optional<PrivateKey> jdkPrivateKey(PemFile file) {
        if (!blocks(file).equals(List.of(PKCS8_KEY))) {
            return Optional.empty();
        }
        Matcher body = PKCS8_BODY.matcher(file.text());
        if (!body.find()) {
            return Optional.empty();
        }
        PKCS8EncodedKeySpec encoded;
        try {
            encoded = new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(body.group(1)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return Optional.of(KeyFactory.getInstance(algorithm).generatePrivate(encoded));
            } catch (GeneralSecurityException | RuntimeException e) {
                // not this algorithm's key: try the next
            }
        }
        return Optional.empty();
    }

    /** The type of each PEM block in the file ("CERTIFICATE", "PRIVATE KEY", "EC PRIVATE KEY"...), in order. */
    private static List<String> blocks(PemFile file) {
        return BEGIN.matcher(file.text()).results().map(match -> match.group(1)).toList();
    }
}
