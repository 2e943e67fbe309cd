package com.tesaiot.publish.mqtt;

/** Told the fate of every message the publisher sends, and of the connection; called from Paho's threads. */
public interface DeliveryListener {
    /** The broker acknowledged message {@code sequence} (QoS 1 or 2), {@code latencyNanos} after it was last sent. */
    void acknowledged(long sequence, long latencyNanos);

    /**
     * Message {@code sequence} was sent at QoS 0: written to the connection, which is all QoS 0 promises. The broker
     * never acknowledges it, so it is not {@link #acknowledged}: whether it arrived is unknown by design.
     */
    void written(long sequence);

    /**
     * Message {@code sequence} went to the connection for the first time (a message made while the connection is
     * down waits for the reconnect, and one that expires waiting is never sent). Told at most once per message.
     */
    default void sent(long sequence) {
    }

    /** Message {@code sequence} will not be acknowledged: it is given up. */
    void failed(long sequence, Throwable cause);

    /**
     * Message {@code sequence} is given up without ever having gone to the connection (it expired waiting for room in
     * the window, or for the connection to come back): told instead of {@link #failed}, and by default as a failure.
     */
    default void failedUnsent(long sequence, Throwable cause) {
        failed(sequence, cause);
    }

    // The connection's story below is for those who tell it; a listener that only counts fates may ignore it.

    /** Message {@code sequence} was sent again after a reconnect: the broker may now have it twice. */
    default void redelivered(long sequence) {
    }

    /** The connection dropped; the publisher is reconnecting and will resend what was not acknowledged. */
    default void connectionLost(Throwable cause) {
    }

    /** The connection is back after {@code attempts} attempts. */
    default void reconnected(int attempts) {
    }
}
