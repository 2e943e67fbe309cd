package com.tesaiot.publish.mqtt;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * A TLS connection's output as Paho writes it, with the flushes of a burst of PUBLISH packets coalesced. Paho writes
 * one packet and flushes it, packet by packet; on TLS each flush is a record of its own (a cipher set-up and about
 * 2 KB of garbage) and a system call. Here a PUBLISH that follows the previous packet by less than
 * {@link #BURST_WINDOW_NANOS} waits at most that long for the ones behind it, and they share records and system calls
 * (measured with 100 000 readings at --interval 0: Paho's sender thread used 1.8 s of CPU before, 0.7 s after;
 * bench/README.md has the whole run). A PUBLISH after a pause (a fleet device's reading once a second) goes out at
 * once, as does every other packet (CONNECT, PINGREQ, DISCONNECT...), and it takes whatever waits in front of it
 * along, in order.
 *
 * <p>Paho writes exactly one packet between two flushes ({@code CommsSender}), so the first byte after a flush is a
 * packet's type. Were that ever not so, a packet would merely wait up to the window. A deferred flush that fails
 * is thrown to the next write or flush, where Paho's sender sees the connection lost; the PUBLISH packets it held are
 * unacknowledged, so the reconnect sends them again, as any written but unacknowledged message.
 */
final class CoalescingOutputStream extends OutputStream {
    /** How long a PUBLISH in a burst may wait for company: a millisecond, against ack latencies of several. */
    private static final long BURST_WINDOW_NANOS = 1_000_000;
    /** The most plaintext one TLS record carries: the buffer grows no further. */
    private static final int RECORD_BYTES = 16 * 1024;
    /**
     * Where the buffer starts: a reading's PUBLISH (about 400 bytes) fits, so a fleet device, which never bursts,
     * keeps half a KiB instead of a record's 16 (a heap dump of 1 000 devices held 16 MB of them).
     */
    private static final int INITIAL_BYTES = 512;
    private static final int PUBLISH = 3;

    private final OutputStream out;
    private final String name;
    private final LongSupplier clock;
    /** Runs a deferred flush {@link #BURST_WINDOW_NANOS} from now. */
    private final Consumer<Runnable> later;
    private byte[] buffer = new byte[INITIAL_BYTES];
    private int count;
    /** The type of the packet being written since the last flush; -1 until its first byte. */
    private int packetType = -1;
    /** When the last packet was flushed; at first a window ago, so the first packet never counts as a burst. */
    private long lastFlushNanos;
    private boolean flushScheduled;
    private IOException deferredFailure;
    /**
     * Made on the first burst: a connection that never bursts never starts its thread. The thread is of the kind of
     * the one that flushes, Paho's sender: virtual for a fleet's connection on Java 24+ ({@link PahoThreadPool}), so
     * a fleet bursting at {@code --interval 0} does not start a platform thread per device (200 devices peaked at
     * 232 threads with platform timers).
     */
    private ScheduledThreadPoolExecutor timer;

    CoalescingOutputStream(OutputStream out, String clientId) {
        this.out = out;
        this.name = "TLS writes of " + clientId;
        this.clock = System::nanoTime;
        this.later = task -> timer().schedule(task, BURST_WINDOW_NANOS, TimeUnit.NANOSECONDS);
        this.lastFlushNanos = clock.getAsLong() - BURST_WINDOW_NANOS;
    }

    /** With a clock and a way to run deferred flushes of the caller's: for tests. */
    CoalescingOutputStream(OutputStream out, LongSupplier clock, Consumer<Runnable> later) {
        this.out = out;
        this.name = "TLS writes";
        this.clock = clock;
        this.later = later;
        this.lastFlushNanos = clock.getAsLong() - BURST_WINDOW_NANOS;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
        throwDeferredFailure();
        if (length > 0 && packetType < 0) {
            packetType = (bytes[offset] & 0xF0) >> 4;
        }
        if (count + length > buffer.length && buffer.length < RECORD_BYTES) {
            buffer = Arrays.copyOf(buffer, Math.min(RECORD_BYTES, Math.max(2 * buffer.length, count + length)));
        }
        while (length > 0) {
            if (count == buffer.length) {
                drain();
            }
            int part = Math.min(length, buffer.length - count);
            System.arraycopy(bytes, offset, buffer, count, part);
            count += part;
            offset += part;
            length -= part;
        }
    }

    @Override
    public synchronized void flush() throws IOException {
        throwDeferredFailure();
        long now = clock.getAsLong();
        boolean inBurst = packetType == PUBLISH && now - lastFlushNanos < BURST_WINDOW_NANOS;
        packetType = -1;
        lastFlushNanos = now;
        if (!inBurst) {
            drain();
            out.flush();
        } else if (!flushScheduled) {
            flushScheduled = true;
            later.accept(this::flushDeferred);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        try {
            drain();
            out.flush();
        } finally {
            if (timer != null) {
                timer.shutdown();
            }
            out.close();
        }
    }

    private synchronized void flushDeferred() {
        flushScheduled = false;
        try {
            drain();
            out.flush();
        } catch (IOException e) {
            deferredFailure = e;
        }
    }

    private void drain() throws IOException {
        if (count > 0) {
            out.write(buffer, 0, count);
            count = 0;
        }
    }

    private void throwDeferredFailure() throws IOException {
        if (deferredFailure != null) {
            throw deferredFailure;
        }
    }

    private ScheduledThreadPoolExecutor timer() {
        if (timer == null) {
            boolean virtual = DaemonThreads.virtualAvailable() && DaemonThreads.isVirtual(Thread.currentThread());
            timer = new ScheduledThreadPoolExecutor(1,
                    virtual ? DaemonThreads.virtualNumbered(name + " #") : DaemonThreads.named(name));
            timer.setKeepAliveTime(1, TimeUnit.SECONDS);
            timer.allowCoreThreadTimeOut(true);
        }
        return timer;
    }
}
