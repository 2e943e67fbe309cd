package com.tesaiot.publish.testing.pki;

/**
 * PEM header lines for assertions, built from their label so that no source file carries what looks like the
 * start of a private key (the repository keeps real-looking key material to certs_credentials.example/ only).
 */
public final class PemHeaders {
    private PemHeaders() {
    }

    /** {@code -----BEGIN <label>-----}, e.g. for the label "EC PRIVATE KEY". */
    public static String begin(String label) {
        return "-----BEGIN " + label + "-----";
    }
}
