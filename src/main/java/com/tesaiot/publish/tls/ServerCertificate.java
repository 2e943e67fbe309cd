package com.tesaiot.publish.tls;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import javax.security.auth.x500.X500Principal;

/** What a user needs to know about the certificate a broker presents: who it is, who issued it, until when, for which names. */
public record ServerCertificate(String subject, String issuer, Instant notAfter, List<String> names) {
    private static final int DNS_NAME = 2;
    private static final int IP_ADDRESS = 7;

    public ServerCertificate {
        names = List.copyOf(names);
    }

    public static ServerCertificate of(X509Certificate certificate) {
        return new ServerCertificate(certificate.getSubjectX500Principal().getName(X500Principal.RFC2253),
                certificate.getIssuerX500Principal().getName(X500Principal.RFC2253),
                certificate.getNotAfter().toInstant(), alternativeNames(certificate));
    }

    /** One clause for a message line: "CN=broker, issued by CN=Some CA, valid until 2027-01-01T00:00:00Z, names a, b". */
    public String describe() {
        return subject + ", issued by " + issuer + ", valid until " + notAfter + ", "
                + (names.isEmpty() ? "no subject alternative names" : "names " + String.join(", ", names));
    }

    /** The DNS names and IP addresses the certificate is issued for: what host-name verification compares with. */
    private static List<String> alternativeNames(X509Certificate certificate) {
        Collection<List<?>> entries;
        try {
            entries = certificate.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        if (entries != null) {
            for (List<?> entry : entries) {
                int type = (Integer) entry.get(0);
                if (type == DNS_NAME || type == IP_ADDRESS) {
                    names.add(String.valueOf(entry.get(1)));
                }
            }
        }
        return names;
    }
}
