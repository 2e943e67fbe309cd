package com.tesaiot.publish.tls;

import com.tesaiot.publish.Failure;
import com.tesaiot.publish.bundle.CredentialBundle;

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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Builds the mutual-TLS socket factory from a credential bundle, entirely in memory: the client key and
 * certificate chain from client_key.pem and client_cert.pem, and trust in exactly the CAs of ca-chain.pem
 * (the JDK's default CAs are not trusted). Host-name checking is Paho's part (see the mqtt package).
 */
public final class MutualTlsFactory {
    private MutualTlsFactory() {
    }

    public static MutualTls create(CredentialBundle bundle, TlsVersion version, Optional<char[]> keyPassword)
            throws Failure {
        List<X509Certificate> clientCertificates = PemReader.certificates(bundle.clientCertificate());
        PrivateKey key = PemReader.privateKey(bundle.clientKey(), keyPassword);
        List<X509Certificate> caCertificates = PemReader.certificates(bundle.caChain());

        X509Certificate leaf = clientCertificates.stream()
                .filter(c -> belongTogether(key, c.getPublicKey()))
                .findFirst()
                .orElseThrow(() -> new Failure(Failure.Kind.BUNDLE, bundle.clientKey().name()
                        + " does not match " + bundle.clientCertificate().name()
                        + " (different public keys): the key and the certificate must come from the same bundle"));
        requireValidNow(leaf, bundle.clientCertificate().name());
        List<X509Certificate> chain = chainFor(leaf, clientCertificates, caCertificates);
        List<String> warnings = caChainWarnings(caCertificates, bundle.caChain().name());

        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[] {new SingleIdentityKeyManager(key, chain.toArray(X509Certificate[]::new))},
                    trustOnly(caCertificates), null);
            return new MutualTls(new TunedSslSocketFactory(context.getSocketFactory(), version), List.copyOf(chain), version,
                    warnings);
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new Failure(Failure.Kind.BUNDLE, "cannot build the TLS context from " + bundle.caChain().name()
                    + ": " + e.getMessage(), e);
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
     * Proves the key belongs to the certificate by signing with one and verifying with the other: works for
     * every key type and form, including PKCS#8 files that carry no public key.
     */
    static boolean belongTogether(PrivateKey key, PublicKey publicKey) {
        if (!key.getAlgorithm().equals(publicKey.getAlgorithm())) {
            return false;
        }
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
