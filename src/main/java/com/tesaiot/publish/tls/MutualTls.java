package com.tesaiot.publish.tls;

import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

import javax.net.ssl.SSLSocketFactory;
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

    /** The client certificate's CN: the platform expects the device id there. */
    public Optional<String> clientCommonName() {
        RDN[] cns = X500Name.getInstance(clientCertificate().getSubjectX500Principal().getEncoded()).getRDNs(BCStyle.CN);
        return cns.length == 0 ? Optional.empty() : Optional.of(IETFUtils.valueToString(cns[0].getFirst().getValue()));
    }
}
