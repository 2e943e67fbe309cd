package com.tesaiot.publish.mqtt;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

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
        pings = Executors.newScheduledThreadPool(2, daemons("tesaiot-fleet-ping"));
        expiry = Executors.newSingleThreadScheduledExecutor(daemons("tesaiot-fleet-expiry"));
        reconnects = Executors.newScheduledThreadPool(reconnectThreads, daemons("tesaiot-fleet-reconnect"));
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

    private static ThreadFactory daemons(String name) {
        AtomicInteger number = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + number.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** After every publisher using these timers is closed. */
    @Override
    public void close() {
        pings.shutdownNow();
        expiry.shutdownNow();
        reconnects.shutdownNow();
    }
}
