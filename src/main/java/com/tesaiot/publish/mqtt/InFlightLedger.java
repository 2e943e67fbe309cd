package com.tesaiot.publish.mqtt;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * The messages sent and not yet settled: a window of at most {@code capacity} of them, each kept until its
 * acknowledgement arrives (QoS 0: until it is written) or its delivery timeout passes, and told to the {@link DeliveryListener} exactly once
 * either way. The publisher sends; this record decides what is owed. Thread-safe: acknowledgements arrive on
 * Paho's threads, expiry on its own, new messages on the run's.
 */
final class InFlightLedger {
    /** How often a blocked wait looks whether the run was asked to stop. */
    private static final long WAIT_SLICE_MILLIS = 100;

    private final int capacity;
    private final Duration deliveryTimeout;
    private final DeliveryListener listener;
    private final LongSupplier nanoClock;
    private final Semaphore window;
    private final ConcurrentSkipListMap<Long, Entry> unsettled = new ConcurrentSkipListMap<>();
    /** When the connection last made progress: an acknowledgement, or the connection (re)made. */
    private volatile long lastProgressNanos;
    /** The slowest acknowledgement seen in this run, for the stall rule. */
    private volatile long slowestAckNanos;

    /** What a wait for room in the window came to. */
    enum Room {
        /** Room taken for one message. */
        TAKEN,
        /** The run was asked to stop; no room taken. */
        STOPPED,
        /** The message's delivery timeout passed before there was room: it can no longer be sent in time. */
        EXPIRED
    }

    /** A message sent (or queued while the connection is down) and not yet settled. */
    static final class Entry {
        final String topic;
        final byte[] payload;
        final int qos;
        final long firstSentNanos;
        volatile long lastSentNanos;
        /** When it first went on the wire: the acknowledgement latency the user sees counts resends' waits too. */
        volatile long firstOnWireNanos;
        /** False for a message queued while the connection was down: sending it later is not a redelivery. */
        volatile boolean sentBefore;

        private Entry(String topic, byte[] payload, int qos, long now) {
            this.topic = topic;
            this.payload = payload;
            this.qos = qos;
            this.firstSentNanos = now;
            this.lastSentNanos = now;
        }
    }

    InFlightLedger(int capacity, Duration deliveryTimeout, DeliveryListener listener, LongSupplier nanoClock) {
        this.capacity = capacity;
        this.deliveryTimeout = deliveryTimeout;
        this.listener = listener;
        this.nanoClock = nanoClock;
        this.window = new Semaphore(capacity);
        this.lastProgressNanos = nanoClock.getAsLong();
    }

    /**
     * Waits for room for a message due at {@code dueNanos}; its delivery timeout runs from then, so a message
     * that waited out its timeout for room (the broker gone, the window full of unacknowledged messages) expires
     * here instead of starting a clock of its own.
     */
    Room awaitRoom(BooleanSupplier stopWaiting, long dueNanos) throws InterruptedException {
        while (!window.tryAcquire(WAIT_SLICE_MILLIS, TimeUnit.MILLISECONDS)) {
            if (stopWaiting.getAsBoolean()) {
                return Room.STOPPED;
            }
            if (nanoClock.getAsLong() - dueNanos - deliveryTimeout.toNanos() > 0) {
                return Room.EXPIRED;
            }
        }
        return Room.TAKEN;
    }

    /** A message that expired before it could be recorded: told to the listener as failed unsent. */
    void expiredUnsent(long sequence) {
        listener.failedUnsent(sequence, timeout());
    }

    private TimeoutException timeout() {
        return new TimeoutException("no acknowledgement within the delivery timeout of " + deliveryTimeout.toSeconds() + " s");
    }

    /** The connection was (re)made: the stall rule's clock starts again. */
    void connected() {
        lastProgressNanos = nanoClock.getAsLong();
    }

    /**
     * True when messages sent on this connection await acknowledgement and the broker has acknowledged nothing
     * for longer than {@code floor} or four times the slowest acknowledgement seen, whichever is longer: the peer
     * (a hung proxy, a paused broker) stopped answering while the socket stays open.
     */
    boolean stalled(Duration floor) {
        long now = nanoClock.getAsLong();
        long threshold = Math.max(floor.toNanos(), 4 * slowestAckNanos);
        long waitingSince = Long.MAX_VALUE;
        for (Entry entry : unsettled.values()) {
            if (entry.sentBefore) {
                waitingSince = Math.min(waitingSince, entry.lastSentNanos);
            }
        }
        if (waitingSince == Long.MAX_VALUE) {
            return false;
        }
        return now - Math.max(waitingSince, lastProgressNanos) > threshold;
    }

    /** How long the stall rule now waits without an acknowledgement. */
    Duration stallThreshold(Duration floor) {
        return Duration.ofNanos(Math.max(floor.toNanos(), 4 * slowestAckNanos));
    }

    /**
     * Waits for room in the window for one more message; false, taking no room, when {@code stopWaiting} turns
     * true while the window is full. Room taken is given back when the message recorded in it settles.
     */
    boolean awaitRoom(BooleanSupplier stopWaiting) throws InterruptedException {
        while (!window.tryAcquire(WAIT_SLICE_MILLIS, TimeUnit.MILLISECONDS)) {
            if (stopWaiting.getAsBoolean()) {
                return false;
            }
        }
        return true;
    }

    /** Records a message as unsettled, in the room {@link #awaitRoom} took for it. */
    Entry record(long sequence, String topic, byte[] payload, int qos) {
        return record(sequence, topic, payload, qos, nanoClock.getAsLong());
    }

    /** Records a message due at {@code dueNanos}, from when its delivery timeout runs. */
    Entry record(long sequence, String topic, byte[] payload, int qos, long dueNanos) {
        Entry entry = new Entry(topic, payload, qos, dueNanos);
        unsettled.put(sequence, entry);
        return entry;
    }

    /** The broker acknowledged {@code sequence}: settled, unless it was settled already (expired, say). */
    void acknowledge(long sequence) {
        Entry entry = unsettled.remove(sequence);
        if (entry != null) {
            long now = nanoClock.getAsLong();
            lastProgressNanos = now;
            slowestAckNanos = Math.max(slowestAckNanos, now - entry.lastSentNanos);
            // The listener hears it before the slot frees: a wait for an empty window then sees final counts. The
            // slot comes back even if the listener fails (a full disk under the outbox, say).
            try {
                listener.acknowledged(sequence, now - (entry.sentBefore ? entry.firstOnWireNanos : entry.lastSentNanos));
            } finally {
                window.release();
            }
        }
    }

    /**
     * QoS 0 message {@code sequence} was written to the connection: settled as written, never as acknowledged, and
     * never sent again (QoS 0 is at most once). Writing is no sign that the broker answers, so the stall rule's
     * clock does not move.
     */
    void written(long sequence) {
        if (unsettled.remove(sequence) != null) {
            try {
                listener.written(sequence);
            } finally {
                window.release();
            }
        }
    }

    /**
     * {@code sequence} will never be acknowledged: settled as failed (failed unsent if it never went to the
     * connection), unless it was settled already.
     */
    void giveUp(long sequence, Throwable cause) {
        Entry entry = unsettled.remove(sequence);
        if (entry != null) {
            try {
                if (entry.sentBefore) {
                    listener.failed(sequence, cause);
                } else {
                    listener.failedUnsent(sequence, cause);
                }
            } finally {
                window.release();
            }
        }
    }

    /** Gives up every message still unsettled. */
    void giveUpAll(Throwable cause) {
        unsettled.keySet().forEach(sequence -> giveUp(sequence, cause));
    }

    /** Gives up on every message whose delivery timeout has passed, oldest first. */
    void expireOverdue() {
        long deadline = nanoClock.getAsLong() - deliveryTimeout.toNanos();
        for (Map.Entry<Long, Entry> e : unsettled.entrySet()) {
            if (e.getValue().firstSentNanos - deadline > 0) {
                break; // sequence order is sending order: the rest are younger
            }
            giveUp(e.getKey(), timeout());
        }
    }

    /** Each unsettled message, oldest first; a message settled meanwhile may or may not be seen. */
    void forEachUnsettled(BiConsumer<Long, Entry> action) {
        unsettled.forEach(action);
    }

    /** Marks message {@code sequence}, {@code entry}, as sent now; the listener hears of its first sending. */
    void sent(long sequence, Entry entry) {
        entry.lastSentNanos = nanoClock.getAsLong();
        if (!entry.sentBefore) {
            entry.firstOnWireNanos = entry.lastSentNanos;
            entry.sentBefore = true;
            listener.sent(sequence);
        }
    }

    /**
     * Waits until every message is settled; false when {@code timeout} ran out first. Once {@code stopWaiting}
     * turns true, the wait is cut to at most {@code graceAfterStop} from then.
     */
    boolean awaitAllSettled(Duration timeout, BooleanSupplier stopWaiting, Duration graceAfterStop)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean shortened = false;
        while (System.nanoTime() - deadline < 0) {
            if (!shortened && stopWaiting.getAsBoolean()) {
                deadline = Math.min(deadline, System.nanoTime() + graceAfterStop.toNanos());
                shortened = true;
            }
            long sliceMillis = Math.max(1, Math.min(WAIT_SLICE_MILLIS, (deadline - System.nanoTime()) / 1_000_000));
            if (window.tryAcquire(capacity, sliceMillis, TimeUnit.MILLISECONDS)) {
                window.release(capacity);
                return true;
            }
        }
        return false;
    }
}
