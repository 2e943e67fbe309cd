package com.tesaiot.publish.metrics;

import com.tesaiot.publish.mqtt.DeliveryListener;
import com.tesaiot.publish.mqtt.ForwardingDeliveryListener;

/**
 * What a run tells its live metrics: devices connected or refused, readings sent and their fates, reconnects, and
 * connect and acknowledgement times. {@link #NONE} when no metrics are served, so a run without
 * {@code --metrics-port} never loads the Prometheus library: only {@link MetricsServer} does.
 */
public interface RunMetrics {
    /** A run that serves no metrics. */
    RunMetrics NONE = new RunMetrics() {
    };

    /** A device's first connection is up, {@code connectNanos} after it began. */
    default void connected(long connectNanos) {
    }

    /** A device cannot run: its bundle was refused, or the broker refused it. */
    default void refused() {
    }

    /** A reading went to the connection for the first time (counted once, whatever happens to it after). */
    default void sent() {
    }

    /** A reading was acknowledged {@code latencyNanos} after it was sent. */
    default void acknowledged(long latencyNanos) {
    }

    /** A reading will not be acknowledged. */
    default void failed() {
    }

    /** A device lost its connection; it is reconnecting. */
    default void connectionLost() {
    }

    /** A device's connection is back. */
    default void reconnected() {
    }

    /**
     * A {@link DeliveryListener} that records every send, fate and connection event here, then hands it on to
     * {@code next}: wrap a device's own listener with it.
     */
    default DeliveryListener recording(DeliveryListener next) {
        if (this == NONE) {
            return next;
        }
        RunMetrics metrics = this;
        return new ForwardingDeliveryListener(next) {
            @Override
            public void sent(long sequence) {
                metrics.sent();
                super.sent(sequence);
            }

            @Override
            public void acknowledged(long sequence, long latencyNanos) {
                metrics.acknowledged(latencyNanos);
                super.acknowledged(sequence, latencyNanos);
            }

            @Override
            public void failed(long sequence, Throwable cause) {
                metrics.failed();
                super.failed(sequence, cause);
            }

            @Override
            public void failedUnsent(long sequence, Throwable cause) {
                metrics.failed();
                super.failedUnsent(sequence, cause);
            }

            @Override
            public void connectionLost(Throwable cause) {
                metrics.connectionLost();
                super.connectionLost(cause);
            }

            @Override
            public void reconnected(int attempts) {
                metrics.reconnected();
                super.reconnected(attempts);
            }
        };
    }
}
