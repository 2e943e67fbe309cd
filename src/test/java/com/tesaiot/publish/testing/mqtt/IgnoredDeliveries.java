package com.tesaiot.publish.testing.mqtt;

import com.tesaiot.publish.mqtt.DeliveryListener;

/**
 * A delivery listener that hears every fate and does nothing: for connections whose deliveries a test ignores, and
 * for a test that listens for one kind of fate only (override it).
 */
public class IgnoredDeliveries implements DeliveryListener {
    @Override
    public void acknowledged(long sequence, long latencyNanos) {
    }

    @Override
    public void written(long sequence) {
    }

    @Override
    public void failed(long sequence, Throwable cause) {
    }
}
