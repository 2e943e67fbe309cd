package com.tesaiot.publish.mqtt;

import java.time.Duration;

/**
 * How long to wait before each reconnect attempt: a quarter of a second first, so a broker restart costs little,
 * then doubling up to ten seconds, so a broker that is gone is not hammered.
 */
final class ReconnectBackoff {
    static final Duration FIRST = Duration.ofMillis(250);
    static final Duration MAX = Duration.ofSeconds(10);

    private ReconnectBackoff() {
    }

    /** The wait after an attempt that followed a wait of {@code previous} and failed. */
    static Duration after(Duration previous) {
        Duration doubled = previous.multipliedBy(2);
        return doubled.compareTo(MAX) > 0 ? MAX : doubled;
    }
}
