package com.tesaiot.publish.report;

import com.tesaiot.publish.mqtt.DeliveryListener;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** Counts what became of every message sent, as Paho's callbacks report it. */
public final class DeliveryTally implements DeliveryListener {
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong maxLatencyNanos = new AtomicLong();
    private final AtomicLong totalLatencyNanos = new AtomicLong();
    private final AtomicReference<Throwable> firstFailure = new AtomicReference<>();

    @Override
    public void acknowledged(long sequence, long latencyNanos) {
        acknowledged.incrementAndGet();
        totalLatencyNanos.addAndGet(latencyNanos);
        maxLatencyNanos.accumulateAndGet(latencyNanos, Math::max);
    }

    @Override
    public void failed(long sequence, Throwable cause) {
        failed.incrementAndGet();
        firstFailure.compareAndSet(null, cause);
    }

    public long acknowledged() {
        return acknowledged.get();
    }

    public long failed() {
        return failed.get();
    }

    public Throwable firstFailure() {
        return firstFailure.get();
    }

    public long maxLatencyNanos() {
        return maxLatencyNanos.get();
    }

    public long meanLatencyNanos() {
        long n = acknowledged.get();
        return n == 0 ? 0 : totalLatencyNanos.get() / n;
    }
}
