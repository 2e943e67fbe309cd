package com.tesaiot.publish.devpki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import javax.naming.ldap.LdapName;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DevelopmentPkiTest {

    @ParameterizedTest
    @EnumSource(KeyType.class)
    void everyLeafVerifiesThroughTheIntermediateToTheRoot(KeyType keyType) throws Exception {
        DevelopmentPki pki = DevelopmentPki.create(keyType, Duration.ofDays(1));

        validate(pki, pki.issueServer(List.of("localhost", "127.0.0.1"), keyType).certificate());
        validate(pki, pki.issueClient("device-1", keyType).certificate());
        // A CA of one key type signs leaves of another: an RSA platform CA issuing EC device certificates.
        validate(pki, pki.issueClient("device-2", keyType == KeyType.RSA ? KeyType.EC : KeyType.RSA).certificate());
    }

    @Test
    void rootIsSelfSignedAndTheIntermediateIsSignedByIt() throws Exception {
        DevelopmentPki pki = DevelopmentPki.create(KeyType.EC, Duration.ofDays(1));
        X509Certificate root = pki.root().certificate();
        X509Certificate intermediate = pki.intermediate().certificate();

        root.verify(root.getPublicKey());
        intermediate.verify(root.getPublicKey());
        assertEquals(root.getSubjectX500Principal(), intermediate.getIssuerX500Principal());
        assertEquals(Integer.MAX_VALUE, root.getBasicConstraints());
        assertEquals(0, intermediate.getBasicConstraints());
        assertEquals(List.of(intermediate, root), pki.caChain());
    }

    @Test
    void serverCertificateNamesEveryHostAndIpAddressAsASubjectAlternativeName() throws Exception {
        DevelopmentPki pki = DevelopmentPki.create(KeyType.EC, Duration.ofDays(1));

        X509Certificate server = pki.issueServer(List.of("localhost", "127.0.0.1", "::1", "broker.test"), KeyType.EC)
                .certificate();

        Set<List<?>> names = Set.copyOf(server.getSubjectAlternativeNames());
        assertTrue(names.contains(List.of(2, "localhost")), names::toString);
        assertTrue(names.contains(List.of(2, "broker.test")), names::toString);
        assertTrue(names.contains(List.of(7, "127.0.0.1")), names::toString);
        assertTrue(names.stream().anyMatch(n -> n.get(0).equals(7) && n.get(1).toString().startsWith("0:0:0:0")),
                names::toString);
        assertEquals(List.of("1.3.6.1.5.5.7.3.1"), server.getExtendedKeyUsage()); // serverAuth
        assertEquals(-1, server.getBasicConstraints());
    }

    @Test
    void clientCertificateCarriesTheDeviceIdAsCommonNameAndIsForClientAuthentication() throws Exception {
        DevelopmentPki pki = DevelopmentPki.create(KeyType.RSA, Duration.ofDays(1));

        X509Certificate client = pki.issueClient("3f1c-device", KeyType.EC).certificate();

        assertEquals("3f1c-device", commonName(client));
        assertEquals(List.of("1.3.6.1.5.5.7.3.2"), client.getExtendedKeyUsage()); // clientAuth
        assertEquals("EC", client.getPublicKey().getAlgorithm());
    }

    @Test
    void clientCertificatesCanBeMadeExpiredOrNotYetValid() throws Exception {
        DevelopmentPki pki = DevelopmentPki.create(KeyType.EC, Duration.ofDays(1));
        Instant now = Instant.now();

        X509Certificate expired = pki.issueClient("old", KeyType.EC, now.minus(Duration.ofDays(10)),
                now.minus(Duration.ofDays(1))).certificate();
        X509Certificate future = pki.issueClient("new", KeyType.EC, now.plus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(10))).certificate();

        assertThrows(CertificateExpiredException.class, expired::checkValidity);
        assertThrows(CertificateNotYetValidException.class, future::checkValidity);
        assertThrows(CertPathValidatorException.class, () -> validate(pki, expired));
    }

    @Test
    void twoDevelopmentPkisHaveDifferentNamesSoTheirCertificatesAreToldApart() {
        DevelopmentPki one = DevelopmentPki.create(KeyType.EC, Duration.ofDays(1));
        DevelopmentPki other = DevelopmentPki.create(KeyType.EC, Duration.ofDays(1));

        assertNotEquals(one.root().certificate().getSubjectX500Principal(),
                other.root().certificate().getSubjectX500Principal());
        assertThrows(CertPathValidatorException.class,
                () -> validate(other, one.issueClient("device", KeyType.EC).certificate()));
    }

    @Test
    void leavesAreValidAsLongAsTheCertificateAuthorities() {
        DevelopmentPki pki = DevelopmentPki.create(KeyType.EC, Duration.ofDays(30));

        X509Certificate client = pki.issueClient("device", KeyType.EC).certificate();

        assertEquals(pki.intermediate().certificate().getNotAfter(), client.getNotAfter());
        assertTrue(client.getNotBefore().toInstant().isBefore(Instant.now()));
    }

    static void validate(DevelopmentPki pki, X509Certificate leaf) throws Exception {
        var path = CertificateFactory.getInstance("X.509")
                .generateCertPath(List.of(leaf, pki.intermediate().certificate()));
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(pki.root().certificate(), null)));
        parameters.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(path, parameters);
    }

    static String commonName(X509Certificate cert) throws Exception {
        return new LdapName(cert.getSubjectX500Principal().getName()).getRdns().stream()
                .filter(rdn -> rdn.getType().equalsIgnoreCase("CN"))
                .map(rdn -> rdn.getValue().toString())
                .findFirst().orElseThrow();
    }
}
