package com.tesaiot.publish.devpki;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Objects;

/** A certificate together with the private key that belongs to it. */
public record IssuedCertificate(X509Certificate certificate, PrivateKey privateKey) {
    public IssuedCertificate {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(privateKey, "privateKey");
    }
}
