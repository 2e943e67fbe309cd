package com.tesaiot.publish.tls;

import com.tesaiot.publish.Failure;
import com.tesaiot.publish.bundle.CredentialBundle;
import com.tesaiot.publish.bundle.PemFile;


import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECPoint;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Builds the mutual-TLS socket factory from a credential bundle, entirely in memory: the client key and
 * certificate chain from client_key.pem and client_cert.pem, and trust in exactly the CAs of ca-chain.pem
 * (the JDK's default CAs are not trusted). Host-name checking is Paho's part (see the mqtt package).
 */
public final class MutualTlsFactory {
    /**
     * Trust material by the text of ca-chain.pem: a fleet's devices nearly all hold the same chain, so it is parsed,
     * and its trust manager (which validates the broker's chain, and is safe to share) built, once per content
     * rather than once per device. A process meets a handful of distinct chains at most.
     */
    private static final Map<String, Trust> TRUST = new ConcurrentHashMap<>();

    private record Trust(List<X509Certificate> certificates, TrustManager[] managers) {
    }

    private MutualTlsFactory() {
    }

    public static MutualTls create(CredentialBundle bundle, TlsVersion version, Optional<char[]> keyPassword)
            throws Failure {
        List<X509Certificate> clientCertificates = PemReader.certificates(bundle.clientCertificate());
        PemReader.ClientKey clientKey = PemReader.clientKey(bundle.clientKey(), keyPassword);
        PrivateKey key = clientKey.key();
        Optional<ECPoint> carriedPoint = clientKey.carriedPoint();
        Trust trust = trustIn(bundle.caChain());
        List<X509Certificate> caCertificates = trust.certificates();

        X509Certificate leaf = clientCertificates.stream()
                .filter(c -> belongTogether(key, carriedPoint, c.getPublicKey()))
                .findFirst()
                .orElseThrow(() -> new Failure(Failure.Kind.BUNDLE, bundle.clientKey().name()
                        + " does not match " + bundle.clientCertificate().name()
                        + " (different public keys): the key and the certificate must come from the same bundle"));
        requireValidNow(leaf, bundle.clientCertificate().name());
        List<X509Certificate> chain = chainFor(leaf, clientCertificates, caCertificates);
        List<String> warnings = caChainWarnings(caCertificates, bundle.caChain().name());

        try {
            SSLContext context = SSLContext.getInstance("TLS");
            SingleIdentityKeyManager identity = new SingleIdentityKeyManager(key, chain.toArray(X509Certificate[]::new));
            context.init(new KeyManager[] {identity}, trust.managers(), null);
            return new MutualTls(new TunedSslSocketFactory(context.getSocketFactory(), version, identity::timesAsked),
                    List.copyOf(chain), version, warnings);
        } catch (GeneralSecurityException e) {
            throw new Failure(Failure.Kind.BUNDLE, "cannot build the TLS context from " + bundle.caChain().name()
                    + ": " + e.getMessage(), e);
        }
    }

    /** The CAs of {@code caChain} and a trust manager for exactly them, made once per distinct content. */
    private static Trust trustIn(PemFile caChain) throws Failure {
        try {
            return TRUST.computeIfAbsent(caChain.text(), text -> {
                try {
                    List<X509Certificate> certificates = PemReader.certificates(caChain);
                    return new Trust(List.copyOf(certificates), trustOnly(certificates));
                } catch (Failure f) {
                    throw new UnusableChain(f);
                } catch (GeneralSecurityException | java.io.IOException e) {
                    throw new UnusableChain(new Failure(Failure.Kind.BUNDLE, "cannot build the TLS context from "
                            + caChain.name() + ": " + e.getMessage(), e));
                }
            });
        } catch (UnusableChain e) {
            throw e.failure;
        }
    }

    /** Carries a chain's failure out of {@link Map#computeIfAbsent}, which takes no checked exception. */
    private static final class UnusableChain extends RuntimeException {
        final Failure failure;

        UnusableChain(Failure failure) {
            super(null, null, false, false);
            this.failure = failure;
        }
    }

    /** A certificate outside its validity is refused before any connection; a wrong clock is a common cause. */
    private static void requireValidNow(X509Certificate leaf, String file) throws Failure {
        Instant now = Instant.now();
        Instant notBefore = leaf.getNotBefore().toInstant();
        Instant notAfter = leaf.getNotAfter().toInstant();
        if (now.isAfter(notAfter) || now.isBefore(notBefore)) {
            throw new Failure(Failure.Kind.BUNDLE, file + (now.isAfter(notAfter) ? " expired" : " is not valid yet")
                    + ": valid from " + notBefore + " to " + notAfter + ", and this machine's clock says " + now
                    + (now.isAfter(notAfter) ? ": download a new bundle" : ": is the clock right?"));
        }
    }

    /**
     * ca-chain.pem must hold CA certificates: a leaf alone verifies nothing. (Every certificate in it is trusted
     * as an anchor, so a chain without its root still works when the broker's issuer is in it.)
     */
    private static List<String> caChainWarnings(List<X509Certificate> caCertificates, String file) {
        List<String> warnings = new ArrayList<>();
        for (X509Certificate c : caCertificates) {
            if (c.getBasicConstraints() < 0) {
                warnings.add(file + " holds " + c.getSubjectX500Principal().getName()
                        + ", which is not a CA certificate: the broker's certificate cannot chain to it");
            }
        }
        return warnings;
    }

    /**
     * Whether the key belongs to the certificate's public key. An RSA key carries its modulus, and an EC key file
     * written by openssl its public point ({@code carriedPoint}): either is compared without signing. Any other key,
     * and an EC point that differs, is proven by signing and verifying a probe with the JDK: three scalar
     * multiplications, a millisecond of a fleet's device and 15-30 ms of a cold start. (A file whose point is the
     * certificate's but whose private value is not, which no tool writes, passes here and fails the handshake.)
     */
    static boolean belongTogether(PrivateKey key, Optional<ECPoint> carriedPoint, PublicKey publicKey) {
        if (!key.getAlgorithm().equals(publicKey.getAlgorithm())) {
            return false;
        }
        if (key instanceof RSAPrivateKey rsa && publicKey instanceof RSAPublicKey certificateKey) {
            return rsa.getModulus().equals(certificateKey.getModulus()) && (!(rsa instanceof RSAPrivateCrtKey crt)
                    || crt.getPublicExponent().equals(certificateKey.getPublicExponent()));
        }
        if (publicKey instanceof ECPublicKey certificateKey && carriedPoint.equals(Optional.of(certificateKey.getW()))) {
            return true;
        }
        return signedAndVerified(key, publicKey);
    }

    /** Signs a probe with one key and verifies it with the other: works for every key type and form. */
    private static boolean signedAndVerified(PrivateKey key, PublicKey publicKey) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> null;
        };
        if (algorithm == null) {
            return true; // an exotic key type: let the TLS handshake be the judge
        }
        try {
            byte[] probe = "tesaiot-publish key check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /**
     * The chain the client presents: its leaf, then each issuer found in client_cert.pem or ca-chain.pem up to
     * (not including) a self-signed root, so a broker that trusts only the root can still build the path.
     */
    private static List<X509Certificate> chainFor(X509Certificate leaf, List<X509Certificate> clientFile,
            List<X509Certificate> caFile) {
        List<X509Certificate> pool = new ArrayList<>(clientFile);
        pool.addAll(caFile);
        List<X509Certificate> chain = new ArrayList<>(List.of(leaf));
        X509Certificate current = leaf;
        while (chain.size() < 10) {
            X509Certificate last = current;
            Optional<X509Certificate> issuer = pool.stream()
                    .filter(c -> !chain.contains(c))
                    .filter(c -> c.getSubjectX500Principal().equals(last.getIssuerX500Principal()))
                    .filter(c -> !c.getSubjectX500Principal().equals(c.getIssuerX500Principal()))
                    .findFirst();
            if (issuer.isEmpty()) {
                break;
            }
            chain.add(issuer.get());
            current = issuer.get();
        }
        return chain;
    }

    private static TrustManager[] trustOnly(List<X509Certificate> caCertificates)
            throws GeneralSecurityException, java.io.IOException {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        for (int i = 0; i < caCertificates.size(); i++) {
            trusted.setCertificateEntry("ca-" + i, caCertificates.get(i));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trusted);
        return factory.getTrustManagers();
    }
}
