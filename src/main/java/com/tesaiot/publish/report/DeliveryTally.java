package com.tesaiot.publish.report;

import com.tesaiot.publish.Causes;
import com.tesaiot.publish.mqtt.DeliveryListener;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Counts what became of every message sent, as the publisher reports it, and the reconnects; the connection's
 * story goes on to whoever tells it ({@link Story#onTheLog} for a single run, the fleet for its devices).
 */
public final class DeliveryTally implements DeliveryListener {
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong sentUnacknowledged = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong redelivered = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    private final AtomicLong maxLatencyNanos = new AtomicLong();
    private final LatencyHistogram latencies;
    private final AtomicReference<Throwable> firstFailure = new AtomicReference<>();
    private volatile boolean connectionDown;
    private final Story story;
    private final MessageLines messageLines;

    /**
     * @param story        told of connection losses and reconnects, after they are counted
     * @param messageLines where a line per message goes ({@code --output jsonl}), or {@link MessageLines#NONE}
     */
    public DeliveryTally(Story story, MessageLines messageLines) {
        this(story, messageLines, new LatencyHistogram());
    }

    /**
     * A tally that records its acknowledgement latencies into {@code latencies}, which a fleet's devices share: a
     * histogram is 8 KiB, 8 MB for 1 000 devices when each kept its own (seen in a heap dump).
     */
    public DeliveryTally(Story story, MessageLines messageLines, LatencyHistogram latencies) {
        this.story = story;
        this.messageLines = messageLines;
        this.latencies = latencies;
    }

    /** Who tells of the connection's losses and returns, once the tally has counted them. */
    public interface Story {
        default void connectionLost(Throwable cause) {
        }

        default void reconnected(int attempts) {
        }

        /** For a tally whose owner says nothing of the connection (check's one message). */
        static Story silent() {
            return new Story() {
            };
        }

        /** Warns of each connection loss and tells each reconnect on the run's log (a single device run). */
        static Story onTheLog(ConsoleLog log) {
            return new Story() {
                @Override
                public void connectionLost(Throwable cause) {
                    String why = Causes.describe(cause);
                    log.warn("connection lost" + (why.equalsIgnoreCase("connection lost") ? "" : " (" + why + ")")
                            + ": reconnecting, unacknowledged messages will be sent again");
                }

                @Override
                public void reconnected(int attempts) {
                    log.info("Reconnected after " + attempts + " attempt(s)");
                }
            };
        }
    }

    @Override
    public void acknowledged(long sequence, long latencyNanos) {
        acknowledged.incrementAndGet();
        latencies.record(latencyNanos);
        maxLatencyNanos.accumulateAndGet(latencyNanos, Math::max);
        messageLines.acknowledged(sequence, latencyNanos);
    }

    @Override
    public void sent(long sequence) {
        sent.incrementAndGet();
    }

    @Override
    public void written(long sequence) {
        sentUnacknowledged.incrementAndGet();
        messageLines.written(sequence);
    }

    @Override
    public void failed(long sequence, Throwable cause) {
        givenUp(cause);
        messageLines.failed(sequence, cause);
    }

    @Override
    public void failedUnsent(long sequence, Throwable cause) {
        givenUp(cause);
        messageLines.neverSent(sequence, cause);
    }

    private void givenUp(Throwable cause) {
        failed.incrementAndGet();
        firstFailure.compareAndSet(null, cause);
    }

    @Override
    public void redelivered(long sequence) {
        redelivered.incrementAndGet();
    }

    @Override
    public void connectionLost(Throwable cause) {
        connectionDown = true;
        story.connectionLost(cause);
    }

    @Override
    public void reconnected(int attempts) {
        reconnects.incrementAndGet();
        connectionDown = false;
        story.reconnected(attempts);
    }

    /** Messages that went to the connection at least once. */
    public long sent() {
        return sent.get();
    }

    public long acknowledged() {
        return acknowledged.get();
    }

    /** QoS 0 messages written to the connection: sent, and by design never acknowledged. */
    public long sentUnacknowledged() {
        return sentUnacknowledged.get();
    }

    public long failed() {
        return failed.get();
    }

    public long redelivered() {
        return redelivered.get();
    }

    public long reconnects() {
        return reconnects.get();
    }

    /** The connection dropped and is not back yet: what is sent now waits for the reconnect. */
    public boolean connectionDown() {
        return connectionDown;
    }

    public Throwable firstFailure() {
        return firstFailure.get();
    }

    /** The acknowledgement latencies in the tally's histogram (shared: the fleet's): p50, p99 and max, in nanoseconds. */
    public Latency latency() {
        long max = maxLatencyNanos.get();
        // A percentile is a bucket's upper edge, which can lie a little above the largest latency seen.
        return new Latency(Math.min(max, latencies.percentileNanos(0.50)), Math.min(max, latencies.percentileNanos(0.99)), max);
    }

    /** Acknowledgement latency percentiles, in nanoseconds. */
    public record Latency(long p50Nanos, long p99Nanos, long maxNanos) {
    }
}
