package com.tesaiot.publish.app;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StopSignalTest {

    @Test
    void aSignalWakesARunWaitingForItsNextReadingAtOnce() throws Exception {
        try (StopSignal stop = StopSignal.install()) {
            Thread signal = new Thread(stop::onSignal);
            long start = System.nanoTime();
            signal.start();

            stop.await(TimeUnit.MINUTES.toNanos(1));

            assertTrue(stop.requested());
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(30), "woken by the signal, not the minute");
        }
    }

    @Test
    void anActionGivenAfterTheSignalRunsAtOnceAndOneGivenBeforeRunsOnTheSignal() throws Exception {
        AtomicInteger before = new AtomicInteger();
        AtomicInteger after = new AtomicInteger();
        try (StopSignal stop = StopSignal.install()) {
            stop.whenRequested(before::incrementAndGet);
            assertFalse(stop.requested());
            assertEquals(0, before.get());

            Thread signal = new Thread(stop::onSignal);
            signal.start();
            await().atMost(Duration.ofSeconds(10)).until(stop::requested);
            await().atMost(Duration.ofSeconds(10)).until(() -> before.get() == 1);

            stop.whenRequested(after::incrementAndGet);
            assertEquals(1, after.get());
        }
    }

    @Test
    void theSignalHoldsTheExitUntilTheRunHasPrintedItsSummary() throws Exception {
        StopSignal stop = StopSignal.install();
        Thread signal = new Thread(stop::onSignal);
        signal.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> signal.getState() == Thread.State.TIMED_WAITING);
        assertTrue(signal.isAlive(), "the JVM may not exit before the summary");

        stop.close();

        signal.join(TimeUnit.SECONDS.toMillis(10));
        assertFalse(signal.isAlive(), "closing the signal lets the exit go on");
    }
}
