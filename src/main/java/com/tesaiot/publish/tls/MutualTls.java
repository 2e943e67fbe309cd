package com.tesaiot.publish.tls;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLSocketFactory;
import javax.security.auth.x500.X500Principal;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * A ready mutual-TLS configuration: the socket factory to connect with, the identity it presents, and what
 * looked wrong in the bundle without preventing a connection attempt.
 */
public record MutualTls(SSLSocketFactory socketFactory, List<X509Certificate> clientChain, TlsVersion version,
        List<String> warnings) {
    public X509Certificate clientCertificate() {
        return clientChain.get(0);
    }

    /**
     * The client certificate's CN: the platform expects the device id there. Read with the JDK (LdapName lists the
     * names in the certificate's order), so that a run whose PEM files the JDK reads loads no BouncyCastle class.
     */
    public Optional<String> clientCommonName() {
        try {
            for (Rdn rdn : new LdapName(clientCertificate().getSubjectX500Principal().getName(X500Principal.RFC2253)).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return Optional.of(String.valueOf(rdn.getValue()));
                }
            }
        } catch (InvalidNameException e) {
            // the JDK wrote this name itself: it parses
        }
        return Optional.empty();
    }
}
