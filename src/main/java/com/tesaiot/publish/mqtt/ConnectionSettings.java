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
        Duration deliveryTimeout,
        Duration stallFloor) {

    /** The least time without any acknowledgement, messages waiting, before a connection counts as stalled. */
    public static final Duration DEFAULT_STALL_FLOOR = Duration.ofSeconds(5);

    /** The broker URI in Paho's form, for our {@link TlsNetworkModule}; an IPv6 literal goes in brackets. */
    public String serverUri() {
        return TlsNetworkModule.SCHEME + "://" + endpoint;
    }
}
