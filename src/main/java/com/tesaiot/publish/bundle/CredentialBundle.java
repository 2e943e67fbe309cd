package com.tesaiot.publish.bundle;

import java.util.Optional;

/**
 * Everything a device proves its identity with, as read from its credential bundle. The PEM texts are parsed
 * by the tls package; this record only guarantees that each file exists, is readable and is not empty.
 */
public record CredentialBundle(
        String deviceId,
        PemFile clientCertificate,
        PemFile clientKey,
        PemFile caChain,
        Optional<Secret> apiKey) {
}
