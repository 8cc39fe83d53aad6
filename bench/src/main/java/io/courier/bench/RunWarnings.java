package io.courier.bench;

import io.courier.protocol.units.Quantities;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What makes a run's figures less than they seem, said at the top of the results: a warm-up or a measured period
 * too short for the JIT, and runs that were client-bound (the client's core saturated while the server's was not,
 * so the throughput is the client's ceiling, not the server's).
 */
final class RunWarnings {
    /** Below this the JIT is still compiling client and server (on one pinned, shared core: seconds). */
    static final Duration MIN_WARMUP = Duration.ofSeconds(3);
    static final Duration MIN_DURATION = Duration.ofSeconds(5);
    /** A core this busy is saturated, allowing for sampling and the JVM's own threads. */
    static final double SATURATED_PERCENT = 90;

    private RunWarnings() {
    }

    static List<String> of(Results results) {
        BenchConfig config = results.config();
        List<String> warnings = new ArrayList<>();
        boolean timed = config.scenarios().stream().anyMatch(s -> s.kind() != Scenario.Kind.MEMORY);
        if (timed && config.warmup().compareTo(MIN_WARMUP) < 0) {
            warnings.add("warm-up " + human(config.warmup()) + " is shorter than " + human(MIN_WARMUP)
                    + ": the figures include the JIT compiling client and server");
        }
        if (timed && config.duration().compareTo(MIN_DURATION) < 0) {
            warnings.add("measured period " + human(config.duration()) + " is shorter than "
                    + human(MIN_DURATION) + ": one GC or scheduling hiccup moves the figures");
        }
        for (Measurement run : results.runs()) {
            double client = run.value(Metric.CLIENT_CPU);
            double server = run.value(Metric.SERVER_CPU);
            if (client >= SATURATED_PERCENT && server < SATURATED_PERCENT) {
                warnings.add(String.format(Locale.ROOT, "%s, %s, round %d was client-bound: client %.0f%% of its "
                                + "core, server %.0f%%; its throughput is a floor for the server, not its ceiling",
                        run.scenario().label(config), run.server().label(), run.round(), client, server));
            }
        }
        return warnings;
    }

    private static String human(Duration duration) {
        return Quantities.format(duration);
    }
}
