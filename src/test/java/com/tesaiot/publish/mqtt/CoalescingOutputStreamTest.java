package com.tesaiot.publish.mqtt;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CoalescingOutputStreamTest {
    private static final long US = 1_000;

    /** What reaches the TLS socket: every write call's bytes, and when flushes happened (by bytes written then). */
    private static final class Wire extends OutputStream {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final List<Integer> writes = new ArrayList<>();
        final List<Integer> flushedAt = new ArrayList<>();
        IOException failure;
        int failedWrites;

        @Override
        public synchronized void write(int b) {
            throw new AssertionError("one byte at a time");
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            if (failure != null) {
                failedWrites++;
                throw failure;
            }
            bytes.write(b, off, len);
            writes.add(len);
        }

        @Override
        public synchronized void flush() {
            flushedAt.add(bytes.size());
        }

        synchronized int failedWrites() {
            return failedWrites;
        }

        synchronized int size() {
            return bytes.size();
        }
    }

    private final Wire wire = new Wire();
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    /** The deferred flushes the stream asked for, run when the test says the millisecond has passed. */
    private final List<Runnable> deferred = new ArrayList<>();
    private final CoalescingOutputStream stream = new CoalescingOutputStream(wire, now::get, deferred::add);

    private void aMillisecondPasses() {
        List<Runnable> due = List.copyOf(deferred);
        deferred.clear();
        due.forEach(Runnable::run);
    }

    /** One packet as Paho's sender hands it over: written, then flushed, {@code afterUs} after the previous one. */
    private void packet(int type, int size, long afterUs) throws IOException {
        now.addAndGet(afterUs * US);
        byte[] packet = new byte[size];
        Arrays.fill(packet, (byte) size);
        packet[0] = (byte) (type << 4);
        stream.write(packet, 0, size);
        stream.flush();
    }

    @Test
    void aPublishAfterAPauseGoesOutAtOnceAsItsOwnRecord() throws IOException {
        packet(1, 20, 0);        // CONNECT
        packet(3, 300, 50_000);  // a reading 50 ms later
        packet(3, 300, 1_000_000); // and one a second later, as a fleet device sends
        assertEquals(List.of(20, 300, 300), wire.writes);
        assertEquals(List.of(20, 320, 620), wire.flushedAt);
    }

    @Test
    void aBurstOfPublishesSharesOneWriteThatIsDueAMillisecondAfterTheSecond() throws IOException {
        packet(3, 300, 0);
        for (int i = 0; i < 9; i++) {
            packet(3, 300, 20);
        }
        assertEquals(300, wire.size(), "only the first went out at once");
        assertEquals(1, deferred.size(), "one flush is due for the nine behind it");
        aMillisecondPasses();
        assertEquals(List.of(300, 2_700), wire.writes);
        assertEquals(3_000, wire.flushedAt.get(wire.flushedAt.size() - 1));
    }

    @Test
    void anyOtherPacketGoesOutAtOnceAndTakesTheWaitingPublishesAlongInOrder() throws IOException {
        packet(3, 300, 0);
        packet(3, 301, 20);
        packet(3, 302, 20);
        packet(14, 2, 20);       // DISCONNECT, right behind them
        assertEquals(905, wire.size());
        byte[] sent = wire.bytes.toByteArray();
        assertEquals(0x30, sent[0] & 0xF0);
        assertEquals(0x30, sent[300] & 0xF0);
        assertEquals(0x30, sent[601] & 0xF0);
        assertEquals(0xE0, sent[903] & 0xF0);
        assertEquals(905, wire.flushedAt.get(wire.flushedAt.size() - 1));
    }

    @Test
    void aPacketLargerThanATlsRecordArrivesWhole() throws IOException {
        byte[] big = new byte[70_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) i;
        }
        big[0] = 0x32;
        stream.write(big, 0, big.length);
        stream.flush();
        assertArrayEquals(big, wire.bytes.toByteArray());
    }

    @Test
    void aDeferredWriteThatFailsIsThrownToTheNextWriteSoPahoSeesTheConnectionLost() throws IOException {
        packet(3, 300, 0);
        wire.failure = new IOException("Broken pipe");
        packet(3, 300, 20);
        aMillisecondPasses();
        assertEquals(1, wire.failedWrites());
        // A write alone only fills the buffer: it fails here because the deferred one did.
        IOException thrown = assertThrows(IOException.class, () -> stream.write(new byte[] {0x30}, 0, 1));
        assertEquals("Broken pipe", thrown.getMessage());
    }
}
