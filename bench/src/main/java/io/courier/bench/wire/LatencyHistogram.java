package io.courier.bench.wire;

/**
 * Latencies in nanoseconds, bucketed log-linearly (exact below 128 ns, then 64 buckets per power of two: within
 * 1.6 %), so millions of deliveries cost a fixed 32 KiB rather than an array of samples.
 */
final class LatencyHistogram {
    private static final int LINEAR = 128;
    private static final int SUB = 64;
    private final long[] counts = new long[LINEAR + 57 * SUB];
    private long count;
    private long max;
    private double sum;

    void record(long nanos) {
        long value = Math.max(0, nanos);
        counts[index(value)]++;
        count++;
        sum += value;
        max = Math.max(max, value);
    }

    long count() {
        return count;
    }

    long max() {
        return max;
    }

    double mean() {
        return count == 0 ? Double.NaN : sum / count;
    }

    /** The value at quantile {@code q} (0..1), the middle of its bucket; NaN when empty. */
    double quantile(double q) {
        if (count == 0) {
            return Double.NaN;
        }
        long rank = Math.max(1, (long) Math.ceil(q * count));
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.min(middle(i), max);
            }
        }
        return max;
    }

    static int index(long value) {
        if (value < LINEAR) {
            return (int) value;
        }
        int exponent = 63 - Long.numberOfLeadingZeros(value); // >= 7
        int shift = exponent - 6;
        int mantissa = (int) (value >>> shift); // 64..127
        return LINEAR + (exponent - 7) * SUB + (mantissa - SUB);
    }

    static double middle(int index) {
        if (index < LINEAR) {
            return index;
        }
        int k = index - LINEAR;
        int shift = k / SUB + 1;
        long lower = (long) (k % SUB + SUB) << shift;
        return lower + ((1L << shift) - 1) / 2.0;
    }
}
