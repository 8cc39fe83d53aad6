package io.courier.soak;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/** Turns what the soak measured into its pass/fail checks. Pure: no I/O, so every rule is unit-tested. */
final class SoakChecks {
    private static final double MIB = 1024.0 * 1024.0;

    private SoakChecks() {
    }

    /** Everything the checks look at. */
    record Inputs(SoakConfig config, List<Workload> workloads, List<HostileSummary> hostiles, List<Sample> samples,
                  Sample idleBefore, Sample idleAfter, List<String> fdTargetsBefore, List<String> fdTargetsAfter,
                  List<Double> lagSamplesMillis, int serverExitCode, long serverErrorLines) {
    }

    static List<Check> evaluate(Inputs in) {
        List<Check> checks = new ArrayList<>();
        checks.add(wellBehaved(in.workloads()));
        checks.add(hostile(in.hostiles()));
        checks.add(heap(in));
        checks.add(descriptors(in));
        checks.add(lag(in));
        checks.add(stop(in));
        return checks;
    }

    static Check wellBehaved(List<Workload> workloads) {
        long problems = 0;
        List<String> idle = new ArrayList<>();
        List<String> parts = new ArrayList<>();
        for (Workload w : workloads) {
            problems += w.problems();
            if (w.operations() == 0) {
                idle.add(w.name());
            }
            parts.add(w.name() + ": " + w.operations() + " ok, " + w.problems() + " lost/wrong");
        }
        boolean passed = problems == 0 && idle.isEmpty() && !workloads.isEmpty();
        String detail = String.join("; ", parts) + (idle.isEmpty() ? "" : "; did nothing: " + idle);
        return new Check("well-behaved clients: zero lost or wrong replies", passed, detail);
    }

    static Check hostile(List<HostileSummary> hostiles) {
        long started = 0;
        long unexpected = 0;
        List<String> none = new ArrayList<>();
        for (HostileSummary h : hostiles) {
            started += h.started();
            unexpected += h.unexpected();
            if (h.started() == 0) {
                none.add(h.kind());
            }
        }
        boolean passed = unexpected == 0 && none.isEmpty() && !hostiles.isEmpty();
        return new Check("hostile clients got the documented reactions", passed, started + " hostile clients, "
                + unexpected + " saw something else" + (none.isEmpty() ? "" : "; kinds never started: " + none));
    }

    static Check heap(Inputs in) {
        SoakConfig c = in.config();
        Trend trend = trend(in, Sample::heapUsedBytes);
        double allowed = trend.allowedGrowth(c.heapGrowthPercent(), c.heapGrowthFloorMib() * MIB);
        String detail = String.format(Locale.ROOT, "%d samples after warm-up; slope %.1f KiB/min (%+.2f MiB over "
                        + "%.0f s); last third %+.2f MiB against the first; allowed %.2f MiB (%s%% of %.1f MiB, at "
                        + "least %s MiB)", trend.points().size(), trend.slopePerSecond() * 60 / 1024,
                trend.projectedGrowth() / MIB, trend.windowSeconds(), trend.thirdsGrowth() / MIB, allowed / MIB,
                trim(c.heapGrowthPercent()), trend.firstThirdMean() / MIB, trim(c.heapGrowthFloorMib()));
        return verdictCheck("live heap after GC shows no growth trend", trend.verdict(c.heapGrowthPercent(),
                c.heapGrowthFloorMib() * MIB), detail);
    }

    static Check descriptors(Inputs in) {
        SoakConfig c = in.config();
        // Under load, connections open and close between reading /proc/PID/fd and asking stats: allow for them.
        double noise = c.fdGrowth() + c.hostileConcurrency() + c.fileWorkers();
        Trend trend = trend(in, Sample::fdsBesidesConnections);
        Trend.Verdict underLoad = trend.verdict(0, noise);
        StringBuilder detail = new StringBuilder(String.format(Locale.ROOT, "under load, descriptors besides "
                        + "connections: %.1f first third, %.1f last third, slope %+.2f/min (allowed %+.0f)",
                trend.firstThirdMean(), trend.lastThirdMean(), trend.slopePerSecond() * 60, noise));
        boolean idleOk = false;
        if (in.idleBefore() == null || in.idleAfter() == null) {
            detail.append("; no idle sample at the start or the end");
        } else {
            long growth = in.idleAfter().fds() - in.idleBefore().fds();
            idleOk = growth <= c.fdGrowth();
            detail.append(String.format(Locale.ROOT, "; idle with only the probe connected: %d fds before, %d "
                    + "after (%+d, allowed %+d)", in.idleBefore().fds(), in.idleAfter().fds(), growth, c.fdGrowth()));
            String change = difference(in.fdTargetsBefore(), in.fdTargetsAfter());
            if (!change.isEmpty()) {
                detail.append("; ").append(change);
            }
        }
        boolean passed = idleOk && underLoad == Trend.Verdict.FLAT;
        if (underLoad == Trend.Verdict.TOO_FEW_SAMPLES) {
            detail.append("; too few samples after warm-up for a trend");
        }
        return new Check("file descriptors do not grow", passed, detail.toString());
    }

    static Check lag(Inputs in) {
        SoakConfig c = in.config();
        double p99 = percentile(in.lagSamplesMillis(), 99);
        double sampledMax = percentile(in.lagSamplesMillis(), 100);
        double serverMax = 0;
        for (Sample s : in.samples()) {
            serverMax = Math.max(serverMax, s.lagMaxMillis());
        }
        if (in.idleAfter() != null) {
            serverMax = Math.max(serverMax, in.idleAfter().lagMaxMillis());
        }
        boolean passed = !in.lagSamplesMillis().isEmpty() && p99 <= c.lagP99Millis() && serverMax <= c.lagMaxMillis();
        return new Check("event-loop lag stays under its bounds", passed, String.format(Locale.ROOT,
                "%d samples of loop_lag_ms.last: p99 %.1f ms (bound %s), max %.1f ms; loop_lag_ms.max %.1f ms "
                        + "(bound %s; includes the full GCs the memory samples force)", in.lagSamplesMillis().size(),
                p99, trim(c.lagP99Millis()), sampledMax, serverMax, trim(c.lagMaxMillis())));
    }

    static Check stop(Inputs in) {
        boolean passed = in.serverExitCode() == 0 && in.serverErrorLines() == 0;
        return new Check("server stopped cleanly on SIGTERM and logged no ERROR", passed, "exit code "
                + in.serverExitCode() + ", " + in.serverErrorLines() + " ERROR line(s) in its log");
    }

    /** What is new and what is gone between two lists of descriptor targets (as multisets), in words. */
    static String difference(List<String> before, List<String> after) {
        Map<String, Integer> count = new TreeMap<>();
        before.forEach(target -> count.merge(target, -1, Integer::sum));
        after.forEach(target -> count.merge(target, 1, Integer::sum));
        List<String> added = new ArrayList<>();
        List<String> gone = new ArrayList<>();
        count.forEach((target, n) -> {
            String item = Math.abs(n) > 1 ? Math.abs(n) + " x " + target : target;
            if (n > 0) {
                added.add(item);
            } else if (n < 0) {
                gone.add(item);
            }
        });
        String text = added.isEmpty() ? "" : "new since the start: " + String.join(", ", added);
        if (!gone.isEmpty()) {
            text += (text.isEmpty() ? "" : "; ") + "gone: " + String.join(", ", gone);
        }
        return text;
    }

    /** Nearest-rank percentile (0 for no values; 100 is the maximum). */
    static double percentile(List<Double> values, double percent) {
        if (values.isEmpty()) {
            return 0;
        }
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
        return sorted.get(Math.min(sorted.size() - 1, Math.max(0, rank - 1)));
    }

    /** The trend of one measure over the samples taken after the warm-up. */
    static Trend trend(Inputs in, ToDoubleFunction<Sample> measure) {
        double warmup = in.config().warmup().toMillis() / 1000.0;
        List<Trend.Point> points = new ArrayList<>();
        for (Sample s : in.samples()) {
            if (s.seconds() >= warmup) {
                points.add(new Trend.Point(s.seconds(), measure.applyAsDouble(s)));
            }
        }
        return Trend.of(points);
    }

    private static Check verdictCheck(String name, Trend.Verdict verdict, String detail) {
        switch (verdict) {
            case FLAT:
                return new Check(name, true, detail);
            case GROWING:
                return new Check(name, false, "growing: " + detail);
            default:
                return new Check(name, false, "too few samples after warm-up to tell (run longer, or sample more "
                        + "often): " + detail);
        }
    }

    static String trim(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
