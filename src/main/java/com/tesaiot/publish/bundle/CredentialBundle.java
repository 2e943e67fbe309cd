package com.tesaiot.publish.bundle;

import java.util.Optional;

/**
 * Everything a device proves its identity with, as read from its credential bundle. The PEM texts are parsed
 * by the tls package; this record only guarantees that each file exists, is readable and is not empty.
 *
 * @param identity          the device id and where it came from
 * @param endpoints         endpoints.json when the bundle has one naming the broker (the HTTPS download's does not)
 * @param brokerCertificate mqtt-broker.pem: the certificate the platform's broker presents, when the bundle has it
 */
public record CredentialBundle(
        DeviceId identity,
        PemFile clientCertificate,
        PemFile clientKey,
        PemFile caChain,
        Optional<Secret> apiKey,
        Optional<TextFile> endpoints,
        Optional<PemFile> brokerCertificate,
        BundleLayout layout) {

    public String deviceId() {
        return identity.value();
    }
}
