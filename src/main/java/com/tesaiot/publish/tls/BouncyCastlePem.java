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

import java.io.IOException;
import java.io.StringReader;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link PemReader}'s reading of what the JDK cannot read: PKCS#1 and encrypted keys, and SEC1 keys {@link Sec1EcKey}
 * does not recognise, with BouncyCastle, and of any file the JDK does not read, which it then describes. A class of
 * its own so that BouncyCastle's classes are loaded only when it is used, not when {@code PemReader} is verified.
 */
final class BouncyCastlePem {
    private BouncyCastlePem() {
    }

    /** Every certificate in the file, in file order; at least one. */
    static List<X509Certificate> certificates(PemFile file) throws Failure {
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
    static PrivateKey privateKey(PemFile file, Optional<char[]> password) throws Failure {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        List<String> others = new ArrayList<>();
        for (Object object : objects(file)) {
            try {
                // A key pair's private key alone: a SEC1 key may carry no public key (openssl ec -no_public), or one
                // the JDK cannot decode (a compressed point), and the certificate's public key is what counts.
                if (object instanceof PEMKeyPair pair) {
                    return converter.getPrivateKey(pair.getPrivateKeyInfo());
                } else if (object instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                } else if (object instanceof PKCS8EncryptedPrivateKeyInfo encrypted) {
                    char[] secret = requirePassword(file, password);
                    return converter.getPrivateKey(encrypted.decryptPrivateKeyInfo(
                            new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(new BouncyCastleProvider()).build(secret)));
                } else if (object instanceof PEMEncryptedKeyPair encrypted) {
                    char[] secret = requirePassword(file, password);
                    return converter.getPrivateKey(encrypted.decryptKeyPair(new JcePEMDecryptorProviderBuilder()
                            .setProvider(new BouncyCastleProvider()).build(secret)).getPrivateKeyInfo());
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
