package io.courier.bench.wire;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LatencyHistogramTest {
    @Test
    void quantilesAreWithinTwoPercentOfTheRecordedValues() {
        LatencyHistogram histogram = new LatencyHistogram();
        for (long micros = 1; micros <= 100_000; micros++) {
            histogram.record(micros * 1000);
        }
        assertEquals(100_000, histogram.count());
        assertClose(50_000_000, histogram.quantile(0.5));
        assertClose(99_000_000, histogram.quantile(0.99));
        assertClose(99_900_000, histogram.quantile(0.999));
        assertEquals(100_000_000, histogram.max());
    }

    @Test
    void everyValueFallsInABucketWhoseMiddleIsNearIt() {
        for (long value = 0; value < 1L << 40; value = value * 3 / 2 + 1) {
            double middle = LatencyHistogram.middle(LatencyHistogram.index(value));
            assertTrue(Math.abs(middle - value) <= Math.max(1, value * 0.016), value + " -> " + middle);
        }
    }

    @Test
    void anEmptyHistogramHasNoQuantiles() {
        assertTrue(Double.isNaN(new LatencyHistogram().quantile(0.5)));
    }

    private static void assertClose(double expected, double actual) {
        assertTrue(Math.abs(actual - expected) <= expected * 0.02, "expected about " + expected + ", got " + actual);
    }
}
