package com.tesaiot.publish.tls;

import com.tesaiot.publish.Causes;
import com.tesaiot.publish.Failure;
import com.tesaiot.publish.bundle.PemFile;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
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
import java.util.regex.Pattern;

/**
 * Parses the bundle's PEM files: certificates, and private keys in every form a platform or openssl writes (PKCS#1
 * RSA, PKCS#8, SEC1 EC with or without a leading EC PARAMETERS block, encrypted PKCS#8 and legacy encrypted PEM).
 * The JDK reads certificates and unencrypted PKCS#8 keys itself; BouncyCastle's parser (some 170 classes to load)
 * is used for the other key forms, and for every file the JDK does not
 * read, so that a bad file is described in the same words whichever form it claims. Keys are converted by the JDK's
 * own providers; BouncyCastle's provider is only brought in to decrypt, since the JDK lacks some of the ciphers
 * openssl uses there.
 */
public final class PemReader {
    private static final Pattern BEGIN = Pattern.compile("^-----BEGIN ([A-Z0-9 ]+)-----\\s*$", Pattern.MULTILINE);
    /** The algorithms a PKCS#8 key of a device may be for, most likely first; the encoding names its own. */
    private static final List<String> KEY_ALGORITHMS = List.of("EC", "RSA", "Ed25519", "RSASSA-PSS");

    private PemReader() {
    }

    /** Every certificate in the file, in file order; at least one. */
    public static List<X509Certificate> certificates(PemFile file) throws Failure {
        Optional<List<X509Certificate>> read = jdkCertificates(file);
        if (read.isPresent()) {
            return read.get();
        }
        List<X509Certificate> certificates = new ArrayList<>();
        List<String> others = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        for (Object object : objects(file)) {
            if (object instanceof X509CertificateHolder holder) {
                try {
                    certificates.add(converter.getCertificate(holder));
                } catch (CertificateException | RuntimeException e) {
                    throw bad(file.name() + " holds a certificate that cannot be decoded: " + e.getMessage(), e);
                }
            } else {
                others.add(describe(object));
            }
        }
        if (certificates.isEmpty()) {
            throw bad(file.name() + (others.isEmpty()
                    ? " holds no PEM certificate (no -----BEGIN CERTIFICATE----- block)"
                    : " holds " + others.get(0) + ", not a certificate"));
        }
        return certificates;
    }

    /** The one private key in the file, decrypted with the password where it is encrypted. */
    public static PrivateKey privateKey(PemFile file, Optional<char[]> password) throws Failure {
        Optional<PrivateKey> read = jdkPrivateKey(file);
        if (read.isPresent()) {
            return read.get();
        }
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        List<String> others = new ArrayList<>();
        for (Object object : objects(file)) {
            try {
                if (object instanceof PEMKeyPair pair) {
                    return converter.getKeyPair(pair).getPrivate();
                } else if (object instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                } else if (object instanceof PKCS8EncryptedPrivateKeyInfo encrypted) {
                    char[] secret = requirePassword(file, password);
                    return converter.getPrivateKey(encrypted.decryptPrivateKeyInfo(
                            new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(new BouncyCastleProvider()).build(secret)));
                } else if (object instanceof PEMEncryptedKeyPair encrypted) {
                    char[] secret = requirePassword(file, password);
                    return converter.getKeyPair(encrypted.decryptKeyPair(
                            new JcePEMDecryptorProviderBuilder().setProvider(new BouncyCastleProvider()).build(secret))).getPrivate();
                } else if (!(object instanceof ASN1ObjectIdentifier)) {
                    // An ASN1ObjectIdentifier is the EC PARAMETERS block `openssl ecparam -genkey` puts first: read past it.
                    others.add(describe(object));
                }
            } catch (PKCSException e) {
                throw bad(file.name() + " could not be decrypted: the key password is wrong", e);
            } catch (OperatorCreationException e) {
                throw bad(file.name() + " is encrypted with an algorithm this Java cannot use: " + e.getMessage(), e);
            } catch (RuntimeException e) {
                throw bad(file.name() + " holds a private key that cannot be decoded: " + Causes.rootMessage(e), e);
            } catch (IOException e) {
                String cause = String.valueOf(e.getMessage());
                String lower = cause.toLowerCase(java.util.Locale.ROOT);
                // OpenSSL-style, and BouncyCastle's own words for a wrong password.
                if (lower.contains("bad decrypt") || lower.contains("pad block") || lower.contains("check password")) {
                    throw bad(file.name() + " could not be decrypted: the key password is wrong", e);
                }
                throw bad(file.name() + " holds a private key that cannot be decoded: " + cause, e);
            }
        }
        throw bad(file.name() + (others.isEmpty()
                ? " holds no PEM private key (no PRIVATE KEY, RSA, EC or ENCRYPTED PRIVATE KEY block)"
                : " holds " + others.get(0) + ", not a private key"));
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
        if (!blocks(file).equals(List.of("PRIVATE KEY"))) {
            return Optional.empty();
        }
        String text = file.text();
        int body = text.indexOf('\n', text.indexOf("-----BEGIN PRIVATE KEY-----")) + 1;
        int end = text.indexOf("-----END PRIVATE KEY-----", body);
        if (body <= 0 || end < 0) {
            return Optional.empty();
        }
        PKCS8EncodedKeySpec encoded;
        try {
            encoded = new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(text.substring(body, end)));
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

    private static char[] requirePassword(PemFile file, Optional<char[]> password) throws Failure {
        return password.orElseThrow(() -> new Failure(Failure.Kind.BUNDLE, Failure.Input.KEY_PASSWORD,
                file.name() + " is encrypted"));
    }

    private static List<Object> objects(PemFile file) throws Failure {
        List<Object> objects = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new StringReader(file.text()))) {
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                objects.add(o);
            }
        } catch (IOException e) {
            throw bad(file.name() + " is not valid PEM: " + Causes.rootMessage(e), e);
        } catch (RuntimeException e) {
            // BouncyCastle's base64 and ASN.1 decoders throw unchecked exceptions for garbage between the markers.
            throw bad(file.name() + " is not valid PEM: a block's content is not the base64 of what its header names ("
                    + Causes.rootMessage(e) + ")", e);
        }
        return objects;
    }

    private static String describe(Object pemObject) {
        if (pemObject instanceof X509CertificateHolder) {
            return "a CERTIFICATE";
        }
        if (pemObject instanceof PEMKeyPair || pemObject instanceof PrivateKeyInfo
                || pemObject instanceof PKCS8EncryptedPrivateKeyInfo || pemObject instanceof PEMEncryptedKeyPair) {
            return "a PRIVATE KEY";
        }
        String name = pemObject.getClass().getSimpleName();
        return "a " + (name.contains("PublicKey") ? "PUBLIC KEY" : name.contains("CertificationRequest")
                ? "CERTIFICATE REQUEST" : name);
    }

    private static Failure bad(String message, Throwable cause) {
        return new Failure(Failure.Kind.BUNDLE, message, cause);
    }

    private static Failure bad(String message) {
        return new Failure(Failure.Kind.BUNDLE, message);
    }
}
