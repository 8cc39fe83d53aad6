package io.courier.server.metrics;

import java.util.Arrays;

/**
 * A fixed-bucket histogram of durations, written by the event loop thread only: one observation is a short scan
 * of a few bounds and three plain increments, no atomics, no allocation. Read a copy with {@link #snapshot()} on
 * the loop thread. The buckets are Prometheus's classic ones ({@code le}: an observation counts in the first
 * bucket whose upper bound it does not exceed; the last bucket is {@code +Inf}).
 */
public final class LatencyHistogram {
    /** Request latency: most replies are queued within microseconds; blocking handlers take longer. */
    static final double[] REQUEST_BOUNDS_SECONDS = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
        0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    /** Event-loop lag: how late a due timer ran; a healthy loop stays in the first few buckets. */
    static final double[] LOOP_LAG_BOUNDS_SECONDS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,
        2.5, 5, 10};

    private final double[] boundsSeconds;
    private final long[] boundsNanos;
    private final long[] counts;
    private long count;
    private long sumNanos;

    LatencyHistogram(double[] boundsSeconds) {
        this.boundsSeconds = boundsSeconds.clone();
        this.boundsNanos = new long[boundsSeconds.length];
        for (int i = 0; i < boundsSeconds.length; i++) {
            boundsNanos[i] = Math.round(boundsSeconds[i] * 1e9);
        }
        this.counts = new long[boundsSeconds.length + 1];
    }

    /** Counts one duration. Loop thread only. */
    public void observe(long nanos) {
        int bucket = 0;
        while (bucket < boundsNanos.length && nanos > boundsNanos[bucket]) {
            bucket++;
        }
        counts[bucket]++;
        count++;
        sumNanos += nanos;
    }

    public long count() {
        return count;
    }

    /** An immutable copy. Loop thread only. */
    public Snapshot snapshot() {
        return new Snapshot(boundsSeconds, counts.clone(), count, sumNanos / 1e9);
    }

    /**
     * The histogram at one moment.
     *
     * @param upperBoundsSeconds the finite upper bounds, ascending (shared, do not modify)
     * @param counts             observations per bucket, not cumulative; one more than the bounds ({@code +Inf})
     */
    public record Snapshot(double[] upperBoundsSeconds, long[] counts, long count, double sumSeconds) {
        /**
         * The {@code q} quantile, estimated as Prometheus's {@code histogram_quantile} does: linear within the bucket
         * it falls in; in the {@code +Inf} bucket, the highest finite bound. 0 when nothing was observed.
         */
        public double quantileSeconds(double q) {
            if (count == 0) {
                return 0;
            }
            double rank = q * count;
            long below = 0;
            for (int i = 0; i < upperBoundsSeconds.length; i++) {
                long inBucket = counts[i];
                if (below + inBucket >= rank && inBucket > 0) {
                    double lower = i == 0 ? 0 : upperBoundsSeconds[i - 1];
                    return lower + (upperBoundsSeconds[i] - lower) * (rank - below) / inBucket;
                }
                below += inBucket;
            }
            return upperBoundsSeconds[upperBoundsSeconds.length - 1];
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Snapshot && Arrays.equals(counts, ((Snapshot) other).counts)
                    && Arrays.equals(upperBoundsSeconds, ((Snapshot) other).upperBoundsSeconds)
                    && count == ((Snapshot) other).count && sumSeconds == ((Snapshot) other).sumSeconds;
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(counts) * 31 + Long.hashCode(count);
        }

        @Override
        public String toString() {
            return "Histogram{count=" + count + ", sum=" + sumSeconds + "s, counts=" + Arrays.toString(counts) + "}";
        }
    }
}
