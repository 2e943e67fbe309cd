package com.tesaiot.publish.mqtt;

/** Told the fate of every message the publisher sends; called from Paho's callback thread. */
public interface DeliveryListener {
    /** The broker acknowledged message {@code sequence} (for QoS 0: it was written to the socket). */
    void acknowledged(long sequence, long latencyNanos);

    /** Message {@code sequence} will not be acknowledged. */
    void failed(long sequence, Throwable cause);
}
