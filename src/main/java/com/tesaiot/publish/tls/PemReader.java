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
import java.security.spec.ECPoint;
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
 * The JDK reads certificates, unencrypted PKCS#8 keys, and SEC1 keys on P-256, P-384 and P-521 once
 * {@link Sec1EcKey} has wrapped them as PKCS#8; {@link BouncyCastlePem} reads the other key forms, and every file the
 * JDK does not read, so that a bad file is described in the same words whichever form it claims. A run whose files
 * the JDK reads loads none of BouncyCastle's classes (some 100 to 150).
 */
public final class PemReader {
    private static final Pattern BEGIN = Pattern.compile("^-----BEGIN ([A-Z0-9 ]+)-----\\s*$", Pattern.MULTILINE);
    /** The header of a legacy encrypted PEM key (openssl's traditional format, PKCS#1 or SEC1 sealed with a password). */
    private static final Pattern LEGACY_ENCRYPTED = Pattern.compile("^Proc-Type:\\s*4,\\s*ENCRYPTED", Pattern.MULTILINE);
    /** The PEM type of an unencrypted PKCS#8 key, the one key form the JDK reads as it is. */
    private static final String PKCS8_KEY = "PRIVATE KEY";
    /** The PEM type of a SEC1 EC key, and of the curve block {@code openssl ecparam -genkey} may write before it. */
    private static final String SEC1_KEY = "EC PRIVATE KEY", EC_PARAMETERS = "EC PARAMETERS";
    /** The algorithms a PKCS#8 key of a device may be for, most likely first; the encoding names its own. */
    private static final List<String> KEY_ALGORITHMS = List.of("EC", "RSA", "Ed25519", "RSASSA-PSS");

    private PemReader() {
    }

    /** Every certificate in the file, in file order; at least one. */
    public static List<X509Certificate> certificates(PemFile file) throws Failure {
        Optional<List<X509Certificate>> read = jdkCertificates(file);
        return read.isPresent() ? read.get() : BouncyCastlePem.certificates(file);
    }

    /**
     * A private key, and the public point its file carries beside it: where it is an unencrypted EC key whose file
     * holds one (SEC1's optional field, which openssl writes, also inside PKCS#8), uncompressed; empty otherwise.
     */
    public record ClientKey(PrivateKey key, Optional<ECPoint> carriedPoint) {
    }

    /** The one private key in the file, decrypted with the password where it is encrypted. */
    public static PrivateKey privateKey(PemFile file, Optional<char[]> password) throws Failure {
        return clientKey(file, password).key();
    }

    /** The one private key in the file, as {@link #privateKey} reads it, with the public point its file carries. */
    public static ClientKey clientKey(PemFile file, Optional<char[]> password) throws Failure {
        Optional<ClientKey> read = jdkPrivateKey(file);
        return read.isPresent() ? read.get()
                : new ClientKey(BouncyCastlePem.privateKey(file, password), Optional.empty());
    }

    /** Whether the file's key is sealed with a password: encrypted PKCS#8, or a legacy encrypted PEM key. */
    public static boolean isEncrypted(PemFile file) {
        return blocks(file).contains("ENCRYPTED PRIVATE KEY") || LEGACY_ENCRYPTED.matcher(file.text()).find();
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

    /**
     * The key of a file that is an unencrypted PKCS#8 key, or a SEC1 key {@link Sec1EcKey} recognises, alone or after
     * its EC PARAMETERS block, read by the JDK; empty for anything else.
     */
    private static Optional<ClientKey> jdkPrivateKey(PemFile file) {
        List<String> blocks = blocks(file);
        if (blocks.equals(List.of(PKCS8_KEY))) {
            return body(file, PKCS8_KEY).flatMap(encoded -> jdkKey(encoded, KEY_ALGORITHMS));
        }
        if (blocks.equals(List.of(SEC1_KEY)) || blocks.equals(List.of(EC_PARAMETERS, SEC1_KEY))) {
            Optional<byte[]> parameters = blocks.size() == 2 ? body(file, EC_PARAMETERS) : Optional.empty();
            if (blocks.size() == 2 && parameters.isEmpty()) {
                return Optional.empty();
            }
            return body(file, SEC1_KEY).flatMap(sec1 -> Sec1EcKey.pkcs8(sec1, parameters))
                    .flatMap(encoded -> jdkKey(encoded, List.of("EC")));
        }
        return Optional.empty();
    }

    /**
     * The key a PKCS#8 encoding holds, read by the JDK's key factory of the first of the algorithms that reads it, and
     * the public point of the SEC1 key inside it if it is an EC key (a SEC1 file is read wrapped unchanged).
     */
    private static Optional<ClientKey> jdkKey(byte[] pkcs8, List<String> algorithms) {
        PKCS8EncodedKeySpec encoded = new PKCS8EncodedKeySpec(pkcs8);
        for (String algorithm : algorithms) {
            try {
                return Optional.of(new ClientKey(KeyFactory.getInstance(algorithm).generatePrivate(encoded),
                        Sec1EcKey.publicPointInPkcs8(pkcs8)));
            } catch (GeneralSecurityException | RuntimeException e) {
                // not this algorithm's key: try the next
            }
        }
        return Optional.empty();
    }

    /**
     * The decoded body of the file's one block of {@code type}; empty where the block has headers (an encrypted
     * "Proc-Type" key) or anything but base64 between its BEGIN and END lines.
     */
    private static Optional<byte[]> body(PemFile file, String type) {
        Matcher body = Pattern.compile("-----BEGIN " + type + "-----[ \\t]*\\R([A-Za-z0-9+/=\\s]*)-----END " + type
                + "-----").matcher(file.text());
        try {
            return body.find() ? Optional.of(Base64.getMimeDecoder().decode(body.group(1))) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The type of each PEM block in the file ("CERTIFICATE", "PRIVATE KEY", "EC PRIVATE KEY"...), in order. */
    private static List<String> blocks(PemFile file) {
        return BEGIN.matcher(file.text()).results().map(match -> match.group(1)).toList();
    }
}
