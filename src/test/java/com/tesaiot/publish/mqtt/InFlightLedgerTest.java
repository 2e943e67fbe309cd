package com.tesaiot.publish.mqtt;

import com.tesaiot.publish.testing.mqtt.IgnoredDeliveries;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class InFlightLedgerTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final AtomicLong now = new AtomicLong();
    private final Recorder listener = new Recorder();

    private InFlightLedger ledger(int capacity) {
        return new InFlightLedger(capacity, TIMEOUT, listener, now::get);
    }

    private static byte[] payload(long i) {
        return ("reading " + i).getBytes(StandardCharsets.UTF_8);
    }

    private static void admit(InFlightLedger ledger, long sequence) throws InterruptedException {
        assertTrue(ledger.awaitRoom(() -> false));
        ledger.record(sequence, "device/d/telemetry", payload(sequence), 1);
    }

    @Test
    void anAcknowledgementSettlesTheMessageWithTheLatencySinceItWasRecorded() throws Exception {
        InFlightLedger ledger = ledger(10);
        admit(ledger, 0);
        now.addAndGet(5_000_000);

        ledger.acknowledge(0);

        assertEquals(Map.of(0L, "acknowledged in 5000000 ns"), listener.fates);
        assertTrue(ledger.awaitAllSettled(Duration.ofMillis(10), () -> false, Duration.ZERO));
    }

    @Test
    void aResentMessagesLatencyRunsFromItsFirstSendSoAnOutageShowsInTheFigures() throws Exception {
        InFlightLedger ledger = ledger(10);
        assertTrue(ledger.awaitRoom(() -> false));
        InFlightLedger.Entry entry = ledger.record(0, "device/d/telemetry", payload(0), 1);
        ledger.sent(0, entry);
        now.addAndGet(Duration.ofSeconds(4).toNanos()); // the connection drops; the reconnect resends it
        ledger.sent(0, entry);
        now.addAndGet(2_000_000);

        ledger.acknowledge(0);

        assertEquals(Map.of(0L, "acknowledged in 4002000000 ns"), listener.fates);
    }

    @Test
    void aMessageSentAgainAfterAReconnectIsCountedAsSentOnceAndOneNeverSentNotAtAll() throws Exception {
        InFlightLedger ledger = ledger(10);
        assertTrue(ledger.awaitRoom(() -> false));
        InFlightLedger.Entry resent = ledger.record(0, "device/d/telemetry", payload(0), 1);
        assertTrue(ledger.awaitRoom(() -> false));
        ledger.record(1, "device/d/telemetry", payload(1), 1); // made while the connection was down

        ledger.sent(0, resent);
        ledger.sent(0, resent);

        assertEquals(1, listener.firstSends.get());
    }

    @Test
    void aQosZeroMessageWrittenIsSettledAsWrittenNeverAsAcknowledgedAndFreesItsSlot() throws Exception {
        InFlightLedger ledger = ledger(1);
        assertTrue(ledger.awaitRoom(() -> false));
        InFlightLedger.Entry entry = ledger.record(0, "device/d/telemetry", payload(0), 0);
        ledger.sent(0, entry);

        ledger.written(0);
        ledger.acknowledge(0); // a late callback finds it settled already

        assertEquals(Map.of(0L, "written"), listener.fates);
        assertEquals(1, listener.settlements.get());
        assertTrue(ledger.awaitRoom(() -> true), "written frees its slot");
        ledger.forEachUnsettled((sequence, e) -> fail("a written QoS 0 message is never sent again"));
    }

    @Test
    void aFullWindowAdmitsNoMoreUntilAMessageSettles() throws Exception {
        InFlightLedger ledger = ledger(2);
        admit(ledger, 0);
        admit(ledger, 1);

        assertFalse(ledger.awaitRoom(() -> true), "a stopped run must not wait for room");
        ledger.acknowledge(0);
        assertTrue(ledger.awaitRoom(() -> true), "an acknowledgement frees a slot");
    }

    @Test
    void onlyMessagesPastTheirDeliveryTimeoutExpire() throws Exception {
        InFlightLedger ledger = ledger(10);
        admit(ledger, 0);
        now.addAndGet(Duration.ofSeconds(20).toNanos());
        admit(ledger, 1);
        now.addAndGet(Duration.ofSeconds(10).toNanos());

        ledger.expireOverdue();

        assertEquals(1, listener.fates.size());
        assertTrue(listener.fates.get(0L).startsWith("failed: no acknowledgement within the delivery timeout of 30 s"));
        assertInstanceOf(TimeoutException.class, listener.causes.get(0L));
        assertFalse(ledger.awaitAllSettled(Duration.ofMillis(10), () -> false, Duration.ZERO), "message 1 is still owed");
    }

    @Test
    void aResentMessageIsSeenByTheSweepAndASettledOneIsNot() throws Exception {
        InFlightLedger ledger = ledger(10);
        for (long i = 0; i < 3; i++) {
            admit(ledger, i);
        }
        ledger.acknowledge(1);
        List<Long> swept = new CopyOnWriteArrayList<>();

        ledger.forEachUnsettled((sequence, entry) -> swept.add(sequence));

        assertEquals(List.of(0L, 2L), swept);
    }

    @Test
    void aListenerThatThrowsStillGivesTheSlotBack() throws Exception {
        InFlightLedger ledger = new InFlightLedger(1, TIMEOUT, new Recorder() {
            @Override
            public void acknowledged(long sequence, long latencyNanos) {
                throw new IllegalStateException("disk full");
            }
        }, now::get);
        admit(ledger, 0);

        try {
            ledger.acknowledge(0);
        } catch (IllegalStateException expected) {
            // the listener's failure is the caller's to see
        }

        assertTrue(ledger.awaitRoom(() -> true));
    }

    @Test
    void aStoppedRunWaitsForAcknowledgementsOnlyForTheGrace() throws Exception {
        InFlightLedger ledger = ledger(1);
        admit(ledger, 0);
        long start = System.nanoTime();

        boolean settled = ledger.awaitAllSettled(Duration.ofMinutes(1), () -> true, Duration.ofMillis(50));

        assertFalse(settled);
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(30).toNanos(), "the grace, not the minute, bounds it");
    }

    /** Acknowledgements racing expiry and give-ups: every message settles exactly once, and every slot comes back. */
    @RepeatedTest(20)
    void eachMessageSettlesExactlyOnceWhenAcknowledgementRacesExpiry() throws Exception {
        int messages = 2_000;
        InFlightLedger ledger = ledger(messages);
        for (long i = 0; i < messages; i++) {
            admit(ledger, i);
        }
        now.addAndGet(TIMEOUT.toNanos() + 1);
        CountDownLatch go = new CountDownLatch(1);
        Thread acknowledger = new Thread(() -> {
            await(go);
            for (long i = 0; i < messages; i++) {
                ledger.acknowledge(i);
            }
        });
        Thread expirer = new Thread(() -> {
            await(go);
            ledger.expireOverdue();
        });
        Thread quitter = new Thread(() -> {
            await(go);
            ledger.giveUpAll(new RuntimeException("connection lost for good"));
        });
        acknowledger.start();
        expirer.start();
        quitter.start();
        go.countDown();
        acknowledger.join();
        expirer.join();
        quitter.join();

        assertEquals(messages, listener.fates.size());
        assertEquals(messages, listener.settlements.get(), "no message settled twice");
        assertTrue(ledger.awaitAllSettled(Duration.ofSeconds(1), () -> false, Duration.ZERO));
    }

    /** New messages recorded while a resend sweep walks the ledger: the sweep never fails, and sees in order. */
    @RepeatedTest(20)
    void aSweepRacingNewMessagesSeesEachAtMostOnceInOrder() throws Exception {
        int messages = 2_000;
        InFlightLedger ledger = ledger(messages);
        CountDownLatch go = new CountDownLatch(1);
        Thread publisher = new Thread(() -> {
            await(go);
            for (long i = 0; i < messages; i++) {
                try {
                    admit(ledger, i);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        List<Long> swept = new CopyOnWriteArrayList<>();
        publisher.start();
        go.countDown();
        ledger.forEachUnsettled((sequence, entry) -> swept.add(sequence));
        publisher.join();

        for (int i = 1; i < swept.size(); i++) {
            assertTrue(swept.get(i - 1) < swept.get(i), "in sending order, each once: " + swept);
        }
        List<Long> all = new CopyOnWriteArrayList<>();
        ledger.forEachUnsettled((sequence, entry) -> all.add(sequence));
        assertEquals(messages, all.size(), "every admitted message is owed until it settles");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final Duration FLOOR = Duration.ofSeconds(2);

    private static void send(InFlightLedger ledger, long sequence) throws InterruptedException {
        admit(ledger, sequence);
        ledger.forEachUnsettled((s, entry) -> {
            if (s == sequence) {
                ledger.sent(s, entry);
            }
        });
    }

    @Test
    void aConnectionIsStalledOnlyWhenSentMessagesWaitLongerThanTheFloorWithoutAnyAcknowledgement() throws Exception {
        InFlightLedger ledger = ledger(10);
        assertFalse(ledger.stalled(FLOOR), "nothing waits: an idle connection is not stalled");
        send(ledger, 0);
        now.addAndGet(Duration.ofMillis(1_900).toNanos());
        assertFalse(ledger.stalled(FLOOR));
        now.addAndGet(Duration.ofMillis(200).toNanos());
        assertTrue(ledger.stalled(FLOOR));

        ledger.connected();
        assertFalse(ledger.stalled(FLOOR), "a new connection starts the clock again");
    }

    @Test
    void aBrokerThatHasBeenSlowGetsFourTimesItsSlowestAcknowledgementBeforeTheConnectionCountsAsStalled() throws Exception {
        InFlightLedger ledger = ledger(10);
        send(ledger, 0);
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        ledger.acknowledge(0); // slowest so far: 1 s, so the rule waits max(2 s, 4 s)
        send(ledger, 1);
        now.addAndGet(Duration.ofSeconds(3).toNanos());
        assertFalse(ledger.stalled(FLOOR));
        now.addAndGet(Duration.ofMillis(1_100).toNanos());
        assertTrue(ledger.stalled(FLOOR));
        assertEquals(Duration.ofSeconds(4), ledger.stallThreshold(FLOOR));
    }

    @Test
    void aMessageThatWaitedForRoomPastItsDeliveryTimeoutExpiresWithoutTakingRoom() throws Exception {
        InFlightLedger ledger = ledger(1);
        long due = now.get();
        admit(ledger, 0);
        now.addAndGet(TIMEOUT.plusSeconds(1).toNanos());

        assertEquals(InFlightLedger.Room.EXPIRED, ledger.awaitRoom(() -> false, due));
        ledger.expiredUnsent(1);

        assertTrue(listener.fates.get(1L).startsWith("failed: no acknowledgement within the delivery timeout"));
    }

    @Test
    void aMessageGivenUpBeforeItEverWentToTheConnectionIsToldAsUnsentAndASentOneAsFailed() throws Exception {
        Map<Long, String> told = new java.util.HashMap<>();
        InFlightLedger ledger = new InFlightLedger(2, TIMEOUT, new IgnoredDeliveries() {
            @Override
            public void failed(long sequence, Throwable cause) {
                told.put(sequence, "failed");
            }

            @Override
            public void failedUnsent(long sequence, Throwable cause) {
                told.put(sequence, "failed unsent");
            }
        }, now::get);
        long due = now.get();
        assertTrue(ledger.awaitRoom(() -> false));
        ledger.sent(0, ledger.record(0, "device/d/telemetry", payload(0), 1));
        assertTrue(ledger.awaitRoom(() -> false));
        ledger.record(1, "device/d/telemetry", payload(1), 1); // queued while the connection is down, say
        now.addAndGet(TIMEOUT.plusSeconds(1).toNanos());

        assertEquals(InFlightLedger.Room.EXPIRED, ledger.awaitRoom(() -> false, due), "the window is full");
        ledger.expiredUnsent(2);
        ledger.expireOverdue();

        assertEquals(Map.of(0L, "failed", 1L, "failed unsent", 2L, "failed unsent"), told);
    }

    @Test
    void theDeliveryTimeoutRunsFromWhenTheMessageWasDueNotFromWhenItGotRoom() throws Exception {
        InFlightLedger ledger = ledger(10);
        long due = now.get();
        now.addAndGet(Duration.ofSeconds(25).toNanos());
        assertEquals(InFlightLedger.Room.TAKEN, ledger.awaitRoom(() -> false, due));
        ledger.record(0, "device/d/telemetry", payload(0), 1, due);
        now.addAndGet(Duration.ofSeconds(6).toNanos());

        ledger.expireOverdue();

        assertTrue(listener.fates.get(0L).startsWith("failed: no acknowledgement within the delivery timeout"));
    }

    private static class Recorder implements DeliveryListener {
        final Map<Long, String> fates = new ConcurrentHashMap<>();
        final Map<Long, Throwable> causes = new ConcurrentHashMap<>();
        final AtomicLong settlements = new AtomicLong();
        final AtomicLong firstSends = new AtomicLong();

        @Override
        public void sent(long sequence) {
            firstSends.incrementAndGet();
        }

        @Override
        public void acknowledged(long sequence, long latencyNanos) {
            settlements.incrementAndGet();
            fates.put(sequence, "acknowledged in " + latencyNanos + " ns");
        }

        @Override
        public void written(long sequence) {
            settlements.incrementAndGet();
            fates.put(sequence, "written");
        }

        @Override
        public void failed(long sequence, Throwable cause) {
            settlements.incrementAndGet();
            fates.put(sequence, "failed: " + cause.getMessage());
            causes.put(sequence, cause);
        }
    }
}
