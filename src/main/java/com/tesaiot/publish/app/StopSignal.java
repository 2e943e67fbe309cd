package com.tesaiot.publish.app;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C and SIGTERM, as a request to stop: the JVM runs this shutdown hook, the run stops generating, waits
 * briefly for in-flight acknowledgements, prints its summary and disconnects, and only then may the JVM exit
 * (130 for SIGINT, 143 for SIGTERM, as the JVM sets them).
 */
public final class StopSignal implements AutoCloseable {
    /** How long the JVM's exit waits for the run to print its summary. */
    private static final long SUMMARY_GRACE_SECONDS = 5;

    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch runFinished = new CountDownLatch(1);
    private final Thread hook = new Thread(this::onSignal, "tesaiot-publish-stop");
    private volatile Runnable onRequest = () -> { };

    private StopSignal() {
    }

    public static StopSignal install() {
        StopSignal signal = new StopSignal();
        Runtime.getRuntime().addShutdownHook(signal.hook);
        return signal;
    }

    /**
     * What the shutdown hook does on SIGINT or SIGTERM: asks the run to stop, then holds the JVM's exit until the
     * run has closed this signal, at most {@link #SUMMARY_GRACE_SECONDS}.
     */
    void onSignal() {
        stopRequested.countDown();
        onRequest.run();
        try {
            runFinished.await(SUMMARY_GRACE_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs {@code action} when a stop is requested (at once, if one already was): to cut short blocked waits. */
    public void whenRequested(Runnable action) {
        onRequest = action;
        if (requested()) {
            action.run();
        }
    }

    public boolean requested() {
        return stopRequested.getCount() == 0;
    }

    /** Sleeps for {@code nanos}, or less when a stop is requested meanwhile. */
    public void await(long nanos) throws InterruptedException {
        stopRequested.await(nanos, TimeUnit.NANOSECONDS);
    }

    /** The run has printed its summary; the JVM may exit. */
    @Override
    public void close() {
        runFinished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down: the hook is running, and now lets it finish.
        }
    }
}
