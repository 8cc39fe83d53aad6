package io.courier.soak;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SoakChecksTest {
    static final long MIB = 1024 * 1024;
    static final SoakConfig CONFIG = SoakConfig.from(Map.of("duration", "3m", "warmup", "45s"));

    /** Samples every 30 s from 30 to 180 s; heap grows by {@code heapStep} per sample. */
    static List<Sample> samples(long heapStep, long fdStep) {
        List<Sample> samples = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            long connections = 20 + (i % 2) * 3; // connections come and go; fds besides them stay at 40
            samples.add(new Sample(30.0 * i, 30 * MIB + i * heapStep, 90 * MIB, 40 + connections + i * fdStep,
                    connections, 0.5, 40));
        }
        return samples;
    }

    static SoakChecks.Inputs inputs(List<Workload> workloads, List<Sample> samples, Sample after, int exitCode) {
        Sample before = new Sample(0, 20 * MIB, 80 * MIB, 41, 1, 0.1, 0.3);
        List<HostileSummary> hostiles = List.of(new HostileSummary("garbage", 10, 0,
                Map.of("unknown_protocol, then EOF", 10L), List.of()));
        List<Double> lag = new ArrayList<>();
        for (int i = 0; i < 180; i++) {
            lag.add(i == 100 ? 60.0 : 0.4);
        }
        return new SoakChecks.Inputs(CONFIG, workloads, hostiles, samples, before, after, List.of("pipe", "socket"),
                List.of("/dev/urandom", "pipe", "socket"), lag, exitCode, 0);
    }

    static List<Workload> clean() {
        return List.of(new Workload("echo (binary)", 1000, 0, "", List.of()),
                new Workload("rooms", 300, 0, "", List.of()));
    }

    @Test
    void aCleanRunPassesEveryCheck() {
        Sample after = new Sample(180, 21 * MIB, 95 * MIB, 42, 1, 0.2, 40);
        List<Check> checks = SoakChecks.evaluate(inputs(clean(), samples(0, 0), after, 0));
        for (Check check : checks) {
            assertTrue(check.passed(), check.toString());
        }
        assertEquals(6, checks.size());
    }

    @Test
    void oneLostReplyFailsTheWellBehavedCheck() {
        List<Workload> workloads = List.of(new Workload("echo (binary)", 999, 1, "", List.of("id 7 lost")));
        Check check = SoakChecks.wellBehaved(workloads);
        assertFalse(check.passed());
        assertTrue(check.detail().contains("1 lost/wrong"), check.detail());
    }

    @Test
    void aWorkloadThatDidNothingFails() {
        Check check = SoakChecks.wellBehaved(List.of(new Workload("files (binary)", 0, 0, "", List.of())));
        assertFalse(check.passed());
        assertTrue(check.detail().contains("did nothing"), check.detail());
    }

    @Test
    void heapGrowingTwoMibPerSampleFails() {
        Sample after = new Sample(180, 21 * MIB, 95 * MIB, 42, 1, 0.2, 40);
        Check heap = SoakChecks.heap(inputs(clean(), samples(2 * MIB, 0), after, 0));
        assertFalse(heap.passed(), heap.toString());
        assertTrue(heap.detail().startsWith("growing"), heap.detail());
    }

    @Test
    void samplesInTheWarmUpAreLeftOutOfTheTrend() {
        List<Sample> samples = samples(0, 0);
        samples.set(0, new Sample(30, 5 * MIB, 90 * MIB, 61, 21, 0.5, 40)); // before the 45 s warm-up ended
        Sample after = new Sample(180, 21 * MIB, 95 * MIB, 42, 1, 0.2, 40);
        assertTrue(SoakChecks.heap(inputs(clean(), samples, after, 0)).passed());
        assertEquals(5, SoakChecks.trend(inputs(clean(), samples, after, 0), Sample::heapUsedBytes).points().size());
    }

    @Test
    void descriptorsLeftBehindAfterEveryClientHasGoneFail() {
        Sample leaky = new Sample(180, 21 * MIB, 95 * MIB, 41 + 25, 1, 0.2, 40);
        Check fds = SoakChecks.descriptors(inputs(clean(), samples(0, 0), leaky, 0));
        assertFalse(fds.passed(), fds.toString());
        assertTrue(fds.detail().contains("41 fds before, 66 after (+25, allowed +4)"), fds.detail());
    }

    @Test
    void theDescriptorCheckNamesWhatIsNewAndWhatIsGone() {
        Sample after = new Sample(180, 21 * MIB, 95 * MIB, 42, 1, 0.2, 40);
        Check fds = SoakChecks.descriptors(inputs(clean(), samples(0, 0), after, 0));
        assertTrue(fds.detail().endsWith("; new since the start: /dev/urandom"), fds.detail());
        assertEquals("new since the start: 2 x socket, x; gone: pipe", SoakChecks.difference(
                List.of("pipe", "socket", "pipe"), List.of("socket", "socket", "socket", "x", "pipe")));
        assertEquals("", SoakChecks.difference(List.of("a", "b"), List.of("b", "a")));
    }

    @Test
    void descriptorsGrowingUnderLoadFail() {
        Sample after = new Sample(180, 21 * MIB, 95 * MIB, 42, 1, 0.2, 40);
        assertFalse(SoakChecks.descriptors(inputs(clean(), samples(0, 20), after, 0)).passed());
    }

    @Test
    void lagIsJudgedByItsP99AndTheServersMaximum() {
        Sample after = new Sample(180, 21 * MIB, 95 * MIB, 42, 1, 0.2, 40);
        assertTrue(SoakChecks.lag(inputs(clean(), samples(0, 0), after, 0)).passed(), "one 60 ms spike in 180");
        Sample stalled = new Sample(180, 21 * MIB, 95 * MIB, 42, 1, 0.2, 2500);
        Check lag = SoakChecks.lag(inputs(clean(), samples(0, 0), stalled, 0));
        assertFalse(lag.passed());
        assertTrue(lag.detail().contains("loop_lag_ms.max 2500.0 ms"), lag.detail());
    }

    @Test
    void aServerThatDidNotExitZeroFails() {
        Sample after = new Sample(180, 21 * MIB, 95 * MIB, 42, 1, 0.2, 40);
        assertFalse(SoakChecks.stop(inputs(clean(), samples(0, 0), after, 143)).passed());
    }

    @Test
    void percentileIsNearestRank() {
        List<Double> values = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            values.add((double) i);
        }
        assertEquals(99, SoakChecks.percentile(values, 99));
        assertEquals(100, SoakChecks.percentile(values, 100));
        assertEquals(50, SoakChecks.percentile(values, 50));
        assertEquals(0, SoakChecks.percentile(List.of(), 99));
    }
}
