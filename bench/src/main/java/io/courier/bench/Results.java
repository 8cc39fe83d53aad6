package io.courier.bench;

import io.courier.harness.MachineInfo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a suite run produced, for the Markdown and JSON reports.
 *
 * @param rate       the fixed rate the rate scenario used (0 when it did not run)
 * @param rateSource how that rate was chosen, in words
 * @param runs       every measured run, in the order they ran
 * @param started    when the suite started (ISO-8601)
 * @param aborted    why the suite stopped early, or null when it ran to the end
 * @param fanoutRate the fixed-rate fan-out's deliveries/s (0 when it did not run), and how it was chosen
 */
public record Results(BenchConfig config, MachineInfo machine, long rate, String rateSource, List<Measurement> runs,
                      String started, String aborted, long fanoutRate, String fanoutRateSource) {

    public Results {
        runs = List.copyOf(runs);
    }

    /** Results without the fixed-rate fan-out. */
    public Results(BenchConfig config, MachineInfo machine, long rate, String rateSource, List<Measurement> runs,
                   String started, String aborted) {
        this(config, machine, rate, rateSource, runs, started, aborted, 0, "not used");
    }

    /** The rate a scenario ran at: the fan-out's for the fixed-rate fan-out, else the echo rate. */
    public long rateFor(Scenario scenario) {
        return scenario == Scenario.WIRE_FANOUT_RATE ? fanoutRate : rate;
    }

    /** Servers of the configured ones that {@code scenario} applies to. */
    public List<ServerKind> serversFor(Scenario scenario) {
        return config.servers().stream().filter(scenario::appliesTo).toList();
    }

    /** The runs of one scenario against one server, by round. */
    public List<Measurement> runs(Scenario scenario, ServerKind server) {
        List<Measurement> matching = new ArrayList<>();
        for (Measurement run : runs) {
            if (run.scenario() == scenario && run.server() == server) {
                matching.add(run);
            }
        }
        return matching;
    }

    /** The median of a metric over the rounds of one scenario against one server (NaN when never measured). */
    public double median(Scenario scenario, ServerKind server, Metric metric) {
        List<Double> values = new ArrayList<>();
        for (Measurement run : runs(scenario, server)) {
            values.add(run.value(metric));
        }
        return Stats.median(values);
    }

    /** Scenarios that have at least one run, in the configured order. */
    public List<Scenario> scenariosRun() {
        List<Scenario> scenarios = new ArrayList<>();
        for (Scenario scenario : config.scenarios()) {
            if (runs.stream().anyMatch(run -> run.scenario() == scenario)) {
                scenarios.add(scenario);
            }
        }
        return scenarios;
    }

    /** Median of every metric, scenario -> server -> metric key -> value. */
    public Map<String, Map<String, Map<String, Double>>> medians() {
        Map<String, Map<String, Map<String, Double>>> medians = new LinkedHashMap<>();
        for (Scenario scenario : scenariosRun()) {
            Map<String, Map<String, Double>> byServer = new LinkedHashMap<>();
            for (ServerKind server : serversFor(scenario)) {
                Map<String, Double> byMetric = new LinkedHashMap<>();
                for (Metric metric : Metric.of(scenario.kind())) {
                    byMetric.put(metric.key(), median(scenario, server, metric));
                }
                byServer.put(server.label(), byMetric);
            }
            medians.put(scenario.label(), byServer);
        }
        return medians;
    }
}
