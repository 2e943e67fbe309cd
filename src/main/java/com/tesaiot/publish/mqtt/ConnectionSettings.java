package com.tesaiot.publish.mqtt;

import com.tesaiot.publish.bundle.Endpoint;
import com.tesaiot.publish.bundle.Secret;

import javax.net.ssl.SSLSocketFactory;
import java.time.Duration;
import java.util.Optional;

/** How to reach and log in to the broker. */
public record ConnectionSettings(
        Endpoint endpoint,
        String clientId,
        Optional<String> userName,
        Optional<Secret> password,
        SSLSocketFactory socketFactory,
        boolean verifyHostName,
        int maxInflight,
        Duration connectTimeout,
        Duration deliveryTimeout) {

    /** The broker URI in Paho's form; an IPv6 literal goes in brackets. */
    public String serverUri() {
        return "ssl://" + endpoint;
    }
}
