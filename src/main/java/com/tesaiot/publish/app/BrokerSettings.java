package com.tesaiot.publish.app;

import com.tesaiot.publish.bundle.Secret;
import com.tesaiot.publish.tls.TlsVersion;

import java.time.Duration;
import java.util.Optional;

/**
 * How to reach and log in to the broker, as the user gave it; what is absent comes from the bundle
 * (endpoints.json, api_key.txt) or the platform's defaults.
 */
public record BrokerSettings(Optional<String> host, Optional<Integer> port, TlsVersion tlsVersion,
        Optional<String> userName, Optional<Secret> password, boolean insecure, Duration connectTimeout) {
}
