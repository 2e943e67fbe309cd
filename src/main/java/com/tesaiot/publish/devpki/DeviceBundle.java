package com.tesaiot.publish.devpki;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * What goes into a device's credential bundle: its id, client certificate and key, the CA chain, the broker
 * endpoint, how the key file is written, and the optional API key.
 *
 * @param keyPassword the password of an {@link PrivateKeyFormat#ENCRYPTED_PKCS8} key, otherwise null
 * @param apiKey      the content of {@code api_key.txt}, or null for a bundle without one
 */
public record DeviceBundle(String deviceId, IssuedCertificate client, List<X509Certificate> caChain, String mqttHost,
        int mqttPort, PrivateKeyFormat keyFormat, char[] keyPassword, String apiKey) {

    public DeviceBundle {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(client, "client");
        caChain = List.copyOf(caChain);
        Objects.requireNonNull(mqttHost, "mqttHost");
        Objects.requireNonNull(keyFormat, "keyFormat");
        if ((keyFormat == PrivateKeyFormat.ENCRYPTED_PKCS8) != (keyPassword != null)) {
            throw new IllegalArgumentException("a key password is needed for ENCRYPTED_PKCS8 and only for it");
        }
    }

    /** A bundle with an unencrypted PKCS#8 key and no API key; change either with the {@code with...} methods. */
    public static DeviceBundle of(String deviceId, IssuedCertificate client, List<X509Certificate> caChain,
            String mqttHost, int mqttPort) {
        return new DeviceBundle(deviceId, client, caChain, mqttHost, mqttPort, PrivateKeyFormat.PKCS8, null, null);
    }

    /** This bundle with the key written in {@code format}, encrypted with {@code password} (null unless encrypted). */
    public DeviceBundle withKeyFormat(PrivateKeyFormat format, char[] password) {
        return new DeviceBundle(deviceId, client, caChain, mqttHost, mqttPort, format, password, apiKey);
    }

    /** This bundle with an {@code api_key.txt} holding {@code key} (null: no such file). */
    public DeviceBundle withApiKey(String key) {
        return new DeviceBundle(deviceId, client, caChain, mqttHost, mqttPort, keyFormat, keyPassword, key);
    }
}
