package io.courier.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The outcome of one run: a scenario against one server in one round.
 *
 * @param values     metric key to value (see {@link Metric}); absent or NaN when not measured
 * @param clientExit the client's exit code (0 = every reply right), -1 when it never ran
 * @param problem    what went wrong, or null for a run whose numbers can be used
 * @param reportFile the client's JSON report, relative to the output directory
 */
public record Measurement(Scenario scenario, ServerKind server, int round, Map<String, Double> values,
                          int clientExit, String problem, String reportFile) {

    public Measurement {
        values = new LinkedHashMap<>(values);
    }

    public double value(Metric metric) {
        return values.getOrDefault(metric.key(), Double.NaN);
    }

    /** A run with a report whose client saw every reply right. */
    public boolean clean() {
        return problem == null && clientExit == 0;
    }

    /** The numbers a client report gives for a scenario (memory figures are added by the runner). */
    public static Map<String, Double> fromReport(ClientReport report) {
        Map<String, Double> values = new LinkedHashMap<>();
        values.put(Metric.THROUGHPUT.key(), report.throughputPerSecond());
        values.put(Metric.MIB_PER_SECOND.key(), report.bytesPerSecond() / (1024.0 * 1024.0));
        values.put(Metric.P50.key(), report.latencyMicros().p50());
        values.put(Metric.P90.key(), report.latencyMicros().p90());
        values.put(Metric.P99.key(), report.latencyMicros().p99());
        values.put(Metric.P999.key(), report.latencyMicros().p999());
        values.put(Metric.MAX.key(), report.latencyMicros().max());
        values.put(Metric.ERRORS.key(), (double) report.errors().total());
        return values;
    }
}
