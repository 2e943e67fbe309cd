package com.tesaiot.publish.report;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Latencies in constant memory, whatever the run's length: buckets 2 % wide on a log scale from 1 microsecond to
 * about 20 minutes, so a percentile is exact to within 2 %. Histograms add up bucket by bucket, so the percentile
 * of merged histograms is the percentile of every latency they hold (not an average of percentiles).
 */
public final class LatencyHistogram {
    /** Each bucket's upper edge is this factor above its lower edge. Written into reports, checked when merging. */
    public static final double GROWTH = 1.02;
    private static final int BUCKETS = 1_050;
    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
    private final AtomicLong maxNanos = new AtomicLong();

    public void record(long nanos) {
        double micros = Math.max(1, nanos / 1_000.0);
        int bucket = (int) Math.min(BUCKETS - 1, Math.log(micros) / Math.log(GROWTH));
        counts.incrementAndGet(bucket);
        maxNanos.accumulateAndGet(nanos, Math::max);
    }

    /** The latency, in nanoseconds, below which {@code fraction} of the recorded ones fall; 0 when empty. */
    public long percentileNanos(double fraction) {
        long total = count();
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(fraction * total);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts.get(i);
            if (seen >= rank) {
                // The bucket's upper edge, which can lie a little above the largest latency seen.
                long edge = (long) (Math.pow(GROWTH, i + 1) * 1_000);
                return maxNanos.get() > 0 ? Math.min(edge, maxNanos.get()) : edge;
            }
        }
        return (long) (Math.pow(GROWTH, BUCKETS) * 1_000);
    }

    /** How many latencies were recorded. */
    public long count() {
        long total = 0;
        for (int i = 0; i < BUCKETS; i++) {
            total += counts.get(i);
        }
        return total;
    }

    /** The largest latency recorded, in nanoseconds; 0 when empty. */
    public long maxNanos() {
        return maxNanos.get();
    }

    /** Adds every latency of {@code other} to this one. */
    public void add(LatencyHistogram other) {
        for (int i = 0; i < BUCKETS; i++) {
            long n = other.counts.get(i);
            if (n > 0) {
                counts.addAndGet(i, n);
            }
        }
        maxNanos.accumulateAndGet(other.maxNanos.get(), Math::max);
    }

    /** The buckets that hold any latency, by index: what a report stores to be merged later. */
    public SortedMap<Integer, Long> buckets() {
        SortedMap<Integer, Long> buckets = new TreeMap<>();
        for (int i = 0; i < BUCKETS; i++) {
            long n = counts.get(i);
            if (n > 0) {
                buckets.put(i, n);
            }
        }
        return buckets;
    }

    /** A histogram holding {@code buckets} (as {@link #buckets} gave them) and {@code maxNanos}. */
    public static LatencyHistogram of(Map<Integer, Long> buckets, long maxNanos) {
        LatencyHistogram histogram = new LatencyHistogram();
        buckets.forEach((index, n) -> {
            if (index < 0 || index >= BUCKETS || n < 0) {
                throw new IllegalArgumentException("no bucket " + index + " with " + n + " latencies in a histogram of "
                        + BUCKETS + " buckets");
            }
            histogram.counts.addAndGet(index, n);
        });
        histogram.maxNanos.set(maxNanos);
        return histogram;
    }
}
