package com.tesaiot.publish.devpki;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A development certificate authority: a root CA, an intermediate CA signed by it, and the server and client
 * certificates the intermediate issues. For local brokers and tests; never for production.
 */
public final class DevelopmentPki {

    private static final SecureRandom RANDOM = new SecureRandom();
    /** Certificates start a little in the past so a peer whose clock lags slightly still accepts them. */
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final KeyType caKeyType;
    private final IssuedCertificate root;
    private final IssuedCertificate intermediate;

    private DevelopmentPki(KeyType caKeyType, IssuedCertificate root, IssuedCertificate intermediate) {
        this.caKeyType = caKeyType;
        this.root = root;
        this.intermediate = intermediate;
    }

    /** A root CA and an intermediate CA signed by it, both valid for {@code validity} from now. */
    public static DevelopmentPki create(KeyType keyType, Duration validity) {
        Objects.requireNonNull(keyType, "keyType");
        if (validity.isNegative() || validity.isZero()) {
            throw new IllegalArgumentException("validity must be positive, was " + validity);
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant notBefore = now.minus(CLOCK_SKEW);
        Instant notAfter = now.plus(validity);
        // A per-PKI suffix keeps two development CAs apart by name, so "issued by another CA" is reported as
        // such by verifiers instead of as a signature failure under a look-alike issuer name.
        byte[] suffixBytes = new byte[4];
        RANDOM.nextBytes(suffixBytes);
        String suffix = HexFormat.of().formatHex(suffixBytes);

        KeyPair rootKeys = keyType.generateKeyPair();
        X500Name rootName = name("TESAIoT Development Root CA " + suffix);
        X509Certificate rootCertificate = sign(rootName, rootKeys.getPublic(), rootName, rootKeys.getPublic(),
                rootKeys.getPrivate(), keyType, notBefore, notAfter, List.of(
                        new Ext(Extension.basicConstraints, true, new BasicConstraints(true)),
                        new Ext(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))));
        IssuedCertificate root = new IssuedCertificate(rootCertificate, rootKeys.getPrivate());

        KeyPair intermediateKeys = keyType.generateKeyPair();
        X509Certificate intermediateCertificate = sign(name("TESAIoT Development Intermediate CA " + suffix),
                intermediateKeys.getPublic(), rootName, rootKeys.getPublic(), rootKeys.getPrivate(), keyType,
                notBefore, notAfter, List.of(
                        new Ext(Extension.basicConstraints, true, new BasicConstraints(0)),
                        new Ext(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))));
        return new DevelopmentPki(keyType, root, new IssuedCertificate(intermediateCertificate,
                intermediateKeys.getPrivate()));
    }

    /**
     * A development PKI made earlier and kept ({@code bundle create --devices} keeps its CA to add devices later):
     * {@code intermediate} must be signed by {@code root}, and both keys of {@code caKeyType}.
     */
    public static DevelopmentPki of(KeyType caKeyType, IssuedCertificate root, IssuedCertificate intermediate) {
        try {
            intermediate.certificate().verify(root.certificate().getPublicKey());
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the intermediate CA is not signed by this root CA", e);
        }
        return new DevelopmentPki(caKeyType, root, intermediate);
    }

    /** The self-signed root CA: what a broker's trust store holds. */
    public IssuedCertificate root() {
        return root;
    }

    /** The intermediate CA, signed by the root; it signs every server and client certificate. */
    public IssuedCertificate intermediate() {
        return intermediate;
    }

    /** The CA certificates as a bundle's {@code ca-chain.pem} holds them: intermediate, then root. */
    public List<X509Certificate> caChain() {
        return List.of(intermediate.certificate(), root.certificate());
    }

    /**
     * A server leaf whose subject alternative names are {@code names} (an IP literal becomes an iPAddress entry,
     * anything else a dNSName), with extended key usage serverAuth, valid as long as the CAs.
     */
    public IssuedCertificate issueServer(List<String> names, KeyType keyType) {
        if (names.isEmpty()) {
            throw new IllegalArgumentException("a server certificate needs at least one name");
        }
        GeneralName[] alternativeNames = names.stream().map(DevelopmentPki::generalName).toArray(GeneralName[]::new);
        return issueLeaf(names.get(0), keyType, notBefore(), notAfter(), KeyPurposeId.id_kp_serverAuth,
                new Ext(Extension.subjectAlternativeName, false, new GeneralNames(alternativeNames)));
    }

    /**
     * A client leaf with CN = {@code commonName} and extended key usage clientAuth, valid from {@code notBefore}
     * to {@code notAfter}: dates outside the CAs' validity make expired or not-yet-valid certificates.
     */
    public IssuedCertificate issueClient(String commonName, KeyType keyType, Instant notBefore, Instant notAfter) {
        return issueLeaf(commonName, keyType, notBefore, notAfter, KeyPurposeId.id_kp_clientAuth);
    }

    /** A client leaf with CN = {@code commonName}, valid now and as long as the CAs. */
    public IssuedCertificate issueClient(String commonName, KeyType keyType) {
        return issueClient(commonName, keyType, notBefore(), notAfter());
    }

    private Instant notBefore() {
        return intermediate.certificate().getNotBefore().toInstant();
    }

    private Instant notAfter() {
        return intermediate.certificate().getNotAfter().toInstant();
    }

    private IssuedCertificate issueLeaf(String commonName, KeyType keyType, Instant notBefore, Instant notAfter,
            KeyPurposeId purpose, Ext... more) {
        KeyPair keys = keyType.generateKeyPair();
        // RSA key exchange (TLS 1.2 RSA suites) needs keyEncipherment; EC keys only ever sign.
        int keyUsage = keyType.isEc() ? KeyUsage.digitalSignature
                : KeyUsage.digitalSignature | KeyUsage.keyEncipherment;
        List<Ext> extensions = new ArrayList<>(List.of(
                new Ext(Extension.basicConstraints, true, new BasicConstraints(false)),
                new Ext(Extension.keyUsage, true, new KeyUsage(keyUsage)),
                new Ext(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose))));
        extensions.addAll(List.of(more));
        X509Certificate issuer = intermediate.certificate();
        X509Certificate certificate = sign(name(commonName), keys.getPublic(),
                X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded()), issuer.getPublicKey(),
                intermediate.privateKey(), caKeyType, notBefore, notAfter, extensions);
        return new IssuedCertificate(certificate, keys.getPrivate());
    }

    private static X509Certificate sign(X500Name subject, PublicKey subjectKey, X500Name issuer,
            PublicKey issuerKey, PrivateKey signingKey, KeyType signingKeyType, Instant notBefore, Instant notAfter,
            List<Ext> extensions) {
        try {
            JcaX509ExtensionUtils keyIds = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, serialNumber(),
                    Date.from(notBefore), Date.from(notAfter), subject, subjectKey);
            builder.addExtension(Extension.subjectKeyIdentifier, false,
                    keyIds.createSubjectKeyIdentifier(subjectKey));
            if (!subjectKey.equals(issuerKey)) {
                builder.addExtension(Extension.authorityKeyIdentifier, false,
                        keyIds.createAuthorityKeyIdentifier(issuerKey));
            }
            for (Ext extension : extensions) {
                builder.addExtension(extension.oid(), extension.critical(), extension.value());
            }
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder(signingKeyType.signatureAlgorithm()).build(signingKey)));
        } catch (GeneralSecurityException | OperatorCreationException | CertIOException e) {
            // Only a broken JDK or a bug here gets this far: no input a user controls can cause it.
            throw new IllegalStateException("cannot sign a certificate for " + subject, e);
        }
    }

    private static X500Name name(String commonName) {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
    }

    private static GeneralName generalName(String name) {
        boolean ipLiteral = IPV4.matcher(name).matches() || name.contains(":");
        return new GeneralName(ipLiteral ? GeneralName.iPAddress : GeneralName.dNSName, name);
    }

    /** A positive serial number of at most 20 octets, as RFC 5280 requires, unpredictable as CAs should use. */
    private static BigInteger serialNumber() {
        return new BigInteger(128, RANDOM).add(BigInteger.ONE);
    }

    private record Ext(ASN1ObjectIdentifier oid, boolean critical, ASN1Encodable value) {
    }
}
