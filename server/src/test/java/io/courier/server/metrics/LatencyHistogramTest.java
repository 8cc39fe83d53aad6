package io.courier.server.metrics;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The loop's histograms: Prometheus's "le" buckets, and quantiles estimated as histogram_quantile does. */
class LatencyHistogramTest {
    @Test
    void observationsLandInTheFirstBucketTheyDoNotExceedAndQuantilesInterpolate() {
        LatencyHistogram histogram = new LatencyHistogram(new double[] {0.001, 0.01, 0.1});
        histogram.observe(1_000_000); // exactly 1 ms: le 0.001
        histogram.observe(5_000_000);
        histogram.observe(5_000_000);
        histogram.observe(2_000_000_000L); // +Inf
        LatencyHistogram.Snapshot s = histogram.snapshot();
        assertArrayEquals(new long[] {1, 2, 0, 1}, s.counts());
        assertEquals(4, s.count());
        assertEquals(2.011, s.sumSeconds(), 1e-9);
        // rank 2 of 4: the first of the two in (0.001, 0.01]: 0.001 + 0.009 * 1/2
        assertEquals(0.0055, s.quantileSeconds(0.5), 1e-9);
        assertEquals(0.1, s.quantileSeconds(0.99), 1e-9, "in +Inf: the highest finite bound");
        assertEquals(0, new LatencyHistogram(new double[] {1}).snapshot().quantileSeconds(0.5));
    }
}
