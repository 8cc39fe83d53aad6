package io.courier.bench;

import java.util.Collection;

/** The statistics the suite reports: medians over rounds, and ratios between servers. */
public final class Stats {
    private Stats() {
    }

    /** The median of the finite values (mean of the middle two for an even count); NaN when there are none. */
    public static double median(Collection<Double> values) {
        double[] sorted = values.stream().filter(v -> v != null && Double.isFinite(v))
                .mapToDouble(Double::doubleValue).sorted().toArray();
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2.0;
    }

    /** {@code a / b}, or NaN when either is missing or {@code b} is 0. */
    public static double ratio(double a, double b) {
        if (!Double.isFinite(a) || !Double.isFinite(b) || b == 0) {
            return Double.NaN;
        }
        return a / b;
    }
}
