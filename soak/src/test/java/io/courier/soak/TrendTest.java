package io.courier.soak;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TrendTest {
    private static final double MIB = 1024 * 1024;

    private static List<Trend.Point> series(double... values) {
        List<Trend.Point> points = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            points.add(new Trend.Point(30.0 * (i + 2), values[i]));
        }
        return points;
    }

    @Test
    void slopeOfAStraightLineIsItsGradient() {
        Trend trend = Trend.of(series(10, 13, 16, 19, 22));
        assertEquals(0.1, trend.slopePerSecond(), 1e-9, "3 per 30 s");
        assertEquals(120, trend.windowSeconds(), 1e-9);
        assertEquals(12, trend.projectedGrowth(), 1e-9);
        assertEquals(10, trend.firstThirdMean(), 1e-9, "a third of 5 samples: the first one");
        assertEquals(22, trend.lastThirdMean(), 1e-9);
    }

    @Test
    void noisyButFlatHeapIsFlat() {
        Trend trend = Trend.of(series(30 * MIB, 33 * MIB, 29 * MIB, 32 * MIB, 30 * MIB, 31 * MIB));
        assertEquals(Trend.Verdict.FLAT, trend.verdict(10, 4 * MIB));
    }

    @Test
    void steadyGrowthBeyondTheAllowanceIsGrowing() {
        // 1 MiB more every 30 s: 5 MiB over the window, against 10% of ~30 MiB with a 4 MiB floor.
        Trend trend = Trend.of(series(30 * MIB, 31 * MIB, 32 * MIB, 33 * MIB, 34 * MIB, 35 * MIB));
        assertEquals(Trend.Verdict.GROWING, trend.verdict(10, 4 * MIB));
        assertEquals(Trend.Verdict.FLAT, trend.verdict(10, 8 * MIB), "within a looser floor");
    }

    @Test
    void oneLateJumpIsGrowth() {
        Trend trend = Trend.of(series(30, 30, 30, 30, 30, 30, 30, 30, 45));
        assertEquals(Trend.Verdict.GROWING, trend.verdict(10, 4));
    }

    @Test
    void allowedGrowthIsThePercentageOrTheFloorWhicheverIsLarger() {
        Trend trend = Trend.of(series(100, 100, 100));
        assertEquals(10, trend.allowedGrowth(10, 4), 1e-9);
        assertEquals(50, trend.allowedGrowth(10, 50), 1e-9);
    }

    @Test
    void fewerThanThreeSamplesCannotTell() {
        assertEquals(Trend.Verdict.TOO_FEW_SAMPLES, Trend.of(series(1, 100)).verdict(10, 4));
        assertEquals(Trend.Verdict.TOO_FEW_SAMPLES, Trend.of(List.of()).verdict(10, 4));
        assertEquals(0, Trend.of(List.of()).slopePerSecond());
    }

    @Test
    void shrinkingIsFlat() {
        assertEquals(Trend.Verdict.FLAT, Trend.of(series(50, 40, 30, 20)).verdict(0, 0));
    }
}
