package com.tesaiot.publish.mqtt;

/**
 * Passes every event on to another listener: a listener that adds one thing (the outbox striking acknowledged
 * readings, a fleet device counting reconnects) overrides only that, and no event is forgotten on the way.
 */
public abstract class ForwardingDeliveryListener implements DeliveryListener {
    private final DeliveryListener next;

    protected ForwardingDeliveryListener(DeliveryListener next) {
        this.next = next;
    }

    @Override
    public void acknowledged(long sequence, long latencyNanos) {
        next.acknowledged(sequence, latencyNanos);
    }

    @Override
    public void written(long sequence) {
        next.written(sequence);
    }

    @Override
    public void sent(long sequence) {
        next.sent(sequence);
    }

    @Override
    public void failed(long sequence, Throwable cause) {
        next.failed(sequence, cause);
    }

    @Override
    public void failedUnsent(long sequence, Throwable cause) {
        next.failedUnsent(sequence, cause);
    }

    @Override
    public void redelivered(long sequence) {
        next.redelivered(sequence);
    }

    @Override
    public void connectionLost(Throwable cause) {
        next.connectionLost(cause);
    }

    @Override
    public void reconnected(int attempts) {
        next.reconnected(attempts);
    }
}
