package com.tesaiot.publish.mqtt;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The scheduled work of many publishers on a few threads: Paho's keep-alive pings (instead of a timer thread per
 * client), expiry checks, and reconnects. Each Paho client still runs its own receiver, sender and callback
 * threads: those block on the socket and cannot be shared. Reconnects, which block for up to a connect timeout,
 * have threads apart from pings and expiry, so a broker that is down does not delay either.
 */
public final class SharedTimers implements AutoCloseable {
    private final ScheduledExecutorService pings;
    private final ScheduledExecutorService expiry;
    private final ScheduledExecutorService reconnects;

    private SharedTimers(int reconnectThreads) {
        pings = Executors.newScheduledThreadPool(2, DaemonThreads.numbered("tesaiot-fleet-ping-"));
        expiry = Executors.newSingleThreadScheduledExecutor(DaemonThreads.numbered("tesaiot-fleet-expiry-"));
        reconnects = Executors.newScheduledThreadPool(reconnectThreads, DaemonThreads.numbered("tesaiot-fleet-reconnect-"));
    }

    /** Timers whose reconnects run {@code reconnectThreads} at a time. */
    public static SharedTimers create(int reconnectThreads) {
        return new SharedTimers(Math.max(1, reconnectThreads));
    }

    ScheduledExecutorService pings() {
        return pings;
    }

    ScheduledExecutorService expiry() {
        return expiry;
    }

    ScheduledExecutorService reconnects() {
        return reconnects;
    }

    /** After every publisher using these timers is closed. */
    @Override
    public void close() {
        pings.shutdownNow();
        expiry.shutdownNow();
        reconnects.shutdownNow();
    }
}
