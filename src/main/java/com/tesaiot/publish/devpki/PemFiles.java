package com.tesaiot.publish.devpki;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/** Writes certificates and private keys as PEM, in the exact forms openssl emits. */
public final class PemFiles {

    /** openssl 3's default for {@code openssl pkcs8 -topk8} and {@code genpkey -aes256}. */
    private static final int PBKDF2_ITERATIONS = 2048;
    private static final SecureRandom RANDOM = new SecureRandom();

    private PemFiles() {
    }

    /** Writes {@code certs} to {@code file}, one {@code BEGIN CERTIFICATE} block each, in the given order. */
    public static void writeCertificates(Path file, X509Certificate... certs) throws IOException {
        writeCertificates(file, List.of(certs));
    }

    /** Writes {@code certs} to {@code file}, one {@code BEGIN CERTIFICATE} block each, in the given order. */
    public static void writeCertificates(Path file, List<X509Certificate> certs) throws IOException {
        Files.writeString(file, certificatesPem(certs), StandardCharsets.US_ASCII);
    }

    /**
     * Writes {@code key} to {@code file} in {@code format}, readable by its owner only where the file system has
     * POSIX permissions. {@code passwordOrNull} is required for {@link PrivateKeyFormat#ENCRYPTED_PKCS8} and
     * refused for every other format.
     */
    public static void writePrivateKey(Path file, PrivateKey key, PrivateKeyFormat format, char[] passwordOrNull)
            throws IOException {
        String pem = privateKeyPem(key, format, passwordOrNull);
        Files.deleteIfExists(file);
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            // Created 600 from the start, so the key is never readable by others, not even for a moment.
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        Files.writeString(file, pem, StandardCharsets.US_ASCII);
    }

    /** The PEM text of {@code certs}, one {@code BEGIN CERTIFICATE} block each. */
    public static String certificatesPem(List<X509Certificate> certs) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(text)) {
            for (X509Certificate cert : certs) {
                pem.writeObject(cert);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return text.toString();
    }

    /** The PEM text of {@code key} in {@code format}; see {@link #writePrivateKey}. */
    public static String privateKeyPem(PrivateKey key, PrivateKeyFormat format, char[] passwordOrNull) {
        Objects.requireNonNull(key, "key");
        boolean encrypted = format == PrivateKeyFormat.ENCRYPTED_PKCS8;
        if (encrypted && (passwordOrNull == null || passwordOrNull.length == 0)) {
            throw new IllegalArgumentException("ENCRYPTED_PKCS8 needs a password");
        }
        if (!encrypted && passwordOrNull != null) {
            throw new IllegalArgumentException("a password only applies to ENCRYPTED_PKCS8, not " + format);
        }
        PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
        List<PemObject> blocks = switch (format) {
            case PKCS8 -> List.of(new PemObject("PRIVATE KEY", key.getEncoded()));
            case PKCS1_RSA -> List.of(new PemObject("RSA PRIVATE KEY", encode(rsa(key, format, info))));
            case SEC1_EC -> List.of(sec1(ec(key, format), info));
            case SEC1_EC_WITH_PARAMETERS -> {
                PemObject sec1 = sec1(ec(key, format), info);
                yield List.of(new PemObject("EC PARAMETERS", encode(curve(info))), sec1);
            }
            case ENCRYPTED_PKCS8 -> List.of(encryptedPkcs8(key, passwordOrNull));
        };
        StringWriter text = new StringWriter();
        try (PemWriter pem = new PemWriter(text)) {
            for (PemObject block : blocks) {
                pem.writeObject(block);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    private static ASN1Encodable rsa(PrivateKey key, PrivateKeyFormat format,
            PrivateKeyInfo info) {
        if (!(key instanceof RSAPrivateKey)) {
            throw new IllegalArgumentException(format + " needs an RSA key, not " + key.getAlgorithm());
        }
        try {
            return info.parsePrivateKey(); // PKCS#8 wraps exactly the PKCS#1 RSAPrivateKey structure
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the RSA key", e);
        }
    }

    private static ECPrivateKey ec(PrivateKey key, PrivateKeyFormat format) {
        if (!(key instanceof ECPrivateKey ecKey)) {
            throw new IllegalArgumentException(format + " needs an EC key, not " + key.getAlgorithm());
        }
        return ecKey;
    }

    private static ASN1ObjectIdentifier curve(PrivateKeyInfo info) {
        if (!(info.getPrivateKeyAlgorithm().getParameters() instanceof ASN1ObjectIdentifier oid)) {
            throw new IllegalArgumentException("only EC keys on a named curve can be written as SEC1");
        }
        return oid;
    }

    /**
     * SEC1 with the curve and the public key, as openssl writes it. The JDK's PKCS#8 encoding leaves both out of
     * the inner structure, so it is rebuilt here: the public point is the generator times the private scalar.
     */
    private static PemObject sec1(ECPrivateKey key, PrivateKeyInfo info) {
        ASN1ObjectIdentifier curve = curve(info);
        X9ECParameters parameters = ECNamedCurveTable.getByOID(curve);
        BigInteger d = key.getS();
        byte[] publicPoint = parameters.getG().multiply(d).normalize().getEncoded(false);
        var sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(parameters.getN().bitLength(), d,
                new DERBitString(publicPoint), curve);
        return new PemObject("EC PRIVATE KEY", encode(sec1));
    }

    private static PemObject encryptedPkcs8(PrivateKey key, char[] password) {
        try {
            var encryptor = new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                    .setPRF(PKCS8Generator.PRF_HMACSHA256)
                    .setIterationCount(PBKDF2_ITERATIONS)
                    .setRandom(RANDOM)
                    .setPassword(Arrays.copyOf(password, password.length))
                    .setProvider(BouncyCastle.PROVIDER)
                    .build();
            return new JcaPKCS8Generator(key, encryptor).generate();
        } catch (OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot encrypt the private key", e);
        }
    }

    /**
     * The JDK has no "AES/CBC/PKCS7Padding" cipher, which BouncyCastle asks for here: use BouncyCastle's provider,
     * by instance rather than installed, so nothing global changes. Loaded on first use only.
     */
    private static final class BouncyCastle {
        static final Provider PROVIDER = new BouncyCastleProvider();
    }

    private static byte[] encode(ASN1Encodable value) {
        try {
            return value.toASN1Primitive().getEncoded("DER");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
