package io.courier.soak;

import java.util.List;

/**
 * Whether a series of measurements over time (heap after a full GC, descriptors) grows: the least-squares slope,
 * the growth that slope means over the measured window, and the mean of the last third of the samples against the
 * mean of the first third. Pure arithmetic, no I/O.
 *
 * @param points          the samples, in time order
 * @param slopePerSecond  least-squares slope, units per second (0 with fewer than 2 points)
 * @param windowSeconds   time from the first to the last sample
 * @param firstThirdMean  mean of the first third of the samples (at least one sample)
 * @param lastThirdMean   mean of the last third of the samples (at least one sample)
 */
public record Trend(List<Point> points, double slopePerSecond, double windowSeconds, double firstThirdMean,
                    double lastThirdMean) {

    /** Fewer samples than this cannot tell a trend from noise; {@link #verdict} then says so. */
    public static final int MIN_POINTS = 3;

    /** One measurement: seconds since the start, and the value. */
    public record Point(double seconds, double value) {
    }

    public static Trend of(List<Point> points) {
        List<Point> copy = List.copyOf(points);
        int n = copy.size();
        if (n == 0) {
            return new Trend(copy, 0, 0, 0, 0);
        }
        double window = copy.get(n - 1).seconds() - copy.get(0).seconds();
        int third = Math.max(1, n / 3);
        return new Trend(copy, slope(copy), window, mean(copy.subList(0, third)), mean(copy.subList(n - third, n)));
    }

    /** Least-squares slope of value over seconds; 0 when fewer than 2 points or all at one time. */
    static double slope(List<Point> points) {
        int n = points.size();
        if (n < 2) {
            return 0;
        }
        double meanT = 0;
        double meanV = 0;
        for (Point p : points) {
            meanT += p.seconds();
            meanV += p.value();
        }
        meanT /= n;
        meanV /= n;
        double covariance = 0;
        double variance = 0;
        for (Point p : points) {
            covariance += (p.seconds() - meanT) * (p.value() - meanV);
            variance += (p.seconds() - meanT) * (p.seconds() - meanT);
        }
        return variance == 0 ? 0 : covariance / variance;
    }

    private static double mean(List<Point> points) {
        double sum = 0;
        for (Point p : points) {
            sum += p.value();
        }
        return points.isEmpty() ? 0 : sum / points.size();
    }

    /** The growth the slope amounts to over the measured window. */
    public double projectedGrowth() {
        return slopePerSecond * windowSeconds;
    }

    /** Last third's mean minus first third's mean. */
    public double thirdsGrowth() {
        return lastThirdMean - firstThirdMean;
    }

    /** The growth allowed: {@code percent} of the first third's mean, but never less than {@code floor}. */
    public double allowedGrowth(double percent, double floor) {
        return Math.max(floor, firstThirdMean * percent / 100.0);
    }

    /**
     * Passes when neither the slope's growth over the window nor the thirds' difference exceeds the allowed growth.
     * Too few samples is not a pass: the soak was too short to tell.
     */
    public Verdict verdict(double percent, double floor) {
        if (points.size() < MIN_POINTS) {
            return Verdict.TOO_FEW_SAMPLES;
        }
        double allowed = allowedGrowth(percent, floor);
        return projectedGrowth() <= allowed && thirdsGrowth() <= allowed ? Verdict.FLAT : Verdict.GROWING;
    }

    /** The outcome of a trend check. */
    public enum Verdict {
        FLAT, GROWING, TOO_FEW_SAMPLES
    }
}
