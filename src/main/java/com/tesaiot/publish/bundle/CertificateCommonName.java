package com.tesaiot.publish.bundle;

import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMParser;

import java.io.IOException;
import java.io.StringReader;
import java.util.Optional;

/**
 * The CN of the first certificate in a PEM file: the platform issues it as the device id. Unreadable files give
 * none here; the tls package names what is wrong with them.
 */
final class CertificateCommonName {
    private CertificateCommonName() {
    }

    static Optional<String> of(PemFile file) {
        try (PEMParser parser = new PEMParser(new StringReader(file.text()))) {
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                if (o instanceof X509CertificateHolder certificate) {
                    RDN[] cns = certificate.getSubject().getRDNs(BCStyle.CN);
                    return cns.length == 0 ? Optional.empty()
                            : Optional.of(IETFUtils.valueToString(cns[0].getFirst().getValue()));
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not PEM, or a damaged certificate: no CN to offer.
        }
        return Optional.empty();
    }
}
