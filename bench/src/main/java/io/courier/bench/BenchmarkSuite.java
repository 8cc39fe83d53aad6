package io.courier.bench;

import io.courier.harness.MachineInfo;
import io.courier.harness.MemoryProbe;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The benchmark suite: every selected scenario against Courier, the Netty peer and the blocking peer, each server
 * in its own JVM, servers alternating within each round so machine drift hits all alike. Writes
 * {@code results.md} and {@code results.json} (medians, ratios, raw rounds, machine) to the output directory,
 * plus every client report and process log.
 *
 * <p>Run from Maven with {@code mvn -Pbench verify} (see bench/BENCHMARKING.md), or after a build:
 * {@code java -jar bench/target/bench.jar --rounds 1 --duration 3s}.
 * Options: see {@link BenchConfig}. Exit code 0 when every run produced a report, 1 when the suite stopped early,
 * 2 for a wrong option.
 */
public final class BenchmarkSuite {
    /** Used when no Netty echo-100b result exists to derive the rate from and calibration failed. */
    private static final long FALLBACK_RATE = 10_000;

    private final BenchConfig config;
    private final ScenarioRunner runner;
    private final PrintStream out;
    private final List<Measurement> runs = new ArrayList<>();
    private long rate;
    private String rateSource;
    private long fanoutRate;
    private String fanoutRateSource;

    BenchmarkSuite(BenchConfig config, PrintStream out) {
        this.config = config;
        this.out = out;
        this.runner = new ScenarioRunner(config, MemoryProbe.besides(config.java()));
        this.rate = config.rate();
        this.rateSource = config.rate() > 0 ? "set with bench.rate" : null;
        this.fanoutRate = config.fanoutRate();
        this.fanoutRateSource = config.fanoutRate() > 0 ? "set with bench.fanout-rate" : null;
    }

    public static void main(String[] args) throws InterruptedException {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        BenchConfig config;
        try {
            config = BenchConfig.from(System.getProperties(), args);
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.exit(2);
            return;
        }
        for (Path jar : List.of(config.jar(), config.serverJar(), config.clientJar())) {
            if (!Files.isRegularFile(jar)) {
                System.err.println("bench: " + jar + " does not exist; build it first (mvn -DskipTests package) or"
                        + " point bench.jar, bench.server-jar or bench.client-jar at it");
                System.exit(2);
                return;
            }
        }
        System.exit(new BenchmarkSuite(config, out).runAll());
    }

    /** Runs everything and writes the reports; returns the exit code. */
    int runAll() throws InterruptedException {
        String started = OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS).toString();
        MachineInfo machine = MachineInfo.gather(config.java());
        out.printf("bench: %d round(s) of %s against %s; %d CPUs (%s), %s; results in %s%n", config.rounds(),
                config.scenarios().stream().map(Scenario::label).toList(),
                config.servers().stream().map(ServerKind::label).toList(), machine.cpus(), machine.cpuModel(),
                machine.memory(), config.outDir().toAbsolutePath());
        if (!config.pin()) {
            out.println("bench: taskset not used (not found, fewer than 2 CPUs, or bench.pin=false)");
        }
        String aborted = null;
        try {
            for (int round = 1; round <= config.rounds(); round++) {
                for (Scenario scenario : config.scenarios()) {
                    if (scenario == Scenario.RATE_1K && rate == 0) {
                        chooseRate();
                    }
                    if (scenario == Scenario.WIRE_FANOUT_RATE && fanoutRate == 0) {
                        chooseFanoutRate();
                    }
                    for (ServerKind server : config.servers()) {
                        if (!scenario.appliesTo(server)) {
                            continue; // e.g. fan-out on the Netty peer, which has no rooms: an n/a column
                        }
                        Optional<String> missing = NativeServer.missing(server);
                        if (missing.isPresent()) {
                            out.printf(Locale.ROOT, "bench: round %d/%d %-9s %-8s %s%n", round, config.rounds(),
                                    scenario.label(config), server.label(), missing.get());
                            runs.add(new Measurement(scenario, server, round, Map.of(), -1, missing.get(), null));
                            continue;
                        }
                        Measurement run = runOne(scenario, server, round);
                        if (run.reportFile() == null) {
                            aborted = "no report from " + ScenarioRunner.runName(scenario, server, round) + ": "
                                    + run.problem();
                            return 1;
                        }
                    }
                }
            }
            return 0;
        } catch (IOException e) {
            aborted = e.getMessage();
            return 1;
        } finally {
            if (aborted != null) {
                out.println("bench: stopped early: " + aborted);
            }
            write(new Results(config, machine, rate, rateSource == null ? "not used" : rateSource, runs, started,
                    aborted, fanoutRate, fanoutRateSource == null ? "not used" : fanoutRateSource));
        }
    }

    private Measurement runOne(Scenario scenario, ServerKind server, int round)
            throws IOException, InterruptedException {
        long began = System.nanoTime();
        out.printf(Locale.ROOT, "bench: round %d/%d %-9s %-8s ...%n", round, config.rounds(),
                scenario.label(config), server.label());
        Measurement run = runner.run(scenario, server, round,
                scenario == Scenario.WIRE_FANOUT_RATE ? fanoutRate : rate);
        runs.add(run);
        out.printf(Locale.ROOT, "bench: round %d/%d %-9s %-8s %s (%.1f s)%n", round, config.rounds(),
                scenario.label(config), server.label(), summary(run), (System.nanoTime() - began) / 1e9);
        if (scenario == Scenario.ECHO_SMALL && server == ServerKind.NETTY && rate == 0 && run.reportFile() != null) {
            deriveRate(run, "half the Netty peer's echo-100b throughput in round " + round);
        }
        return run;
    }

    /**
     * The fixed-rate fan-out is next and no rate is known yet: half the slowest server's fanout-50 deliveries/s in
     * this run (round 1's clean runs, so every server can keep up), else from calibration runs of fanout-50.
     */
    private void chooseFanoutRate() throws IOException, InterruptedException {
        double slowest = slowestFanout(runs);
        String source = "half the slowest server's fanout-50 deliveries/s in round 1";
        if (!Double.isFinite(slowest)) {
            out.println("bench: calibrating the fan-out rate: fanout-50 against every server it applies to");
            List<Measurement> calibration = new ArrayList<>();
            for (ServerKind server : config.servers()) {
                if (Scenario.WIRE_FANOUT_50.appliesTo(server) && NativeServer.missing(server).isEmpty()) {
                    calibration.add(runner.run(Scenario.WIRE_FANOUT_50, server, 0, 0));
                }
            }
            slowest = slowestFanout(calibration);
            source = "half the slowest server's fanout-50 deliveries/s in calibration runs";
        }
        if (Double.isFinite(slowest) && slowest >= 2) {
            fanoutRate = Math.round(slowest / 2);
            fanoutRateSource = source;
        } else {
            fanoutRate = WireScenarios.FALLBACK_DELIVERIES_PER_SECOND;
            fanoutRateSource = "fallback: no clean fanout-50 run to derive it from";
        }
        out.println("bench: rate for fanout-rate-50: " + fanoutRate + " deliveries/s (" + fanoutRateSource + ")");
    }

    /** The lowest fanout-50 throughput among the first round's clean runs, NaN when none. */
    static double slowestFanout(List<Measurement> measured) {
        int firstRound = measured.stream().filter(m -> m.scenario() == Scenario.WIRE_FANOUT_50)
                .mapToInt(Measurement::round).min().orElse(-1);
        return measured.stream().filter(m -> m.scenario() == Scenario.WIRE_FANOUT_50 && m.round() == firstRound
                        && m.clean()).mapToDouble(m -> m.value(Metric.THROUGHPUT)).filter(Double::isFinite)
                .min().orElse(Double.NaN);
    }

    /** The rate scenario is next and no rate is known yet: measure the Netty peer's throughput once. */
    private void chooseRate() throws IOException, InterruptedException {
        out.println("bench: calibrating the rate: echo-100b against the Netty peer");
        Measurement calibration = runner.run(Scenario.ECHO_SMALL, ServerKind.NETTY, 0, 0);
        if (calibration.reportFile() != null) {
            deriveRate(calibration, "half the Netty peer's echo-100b throughput in a calibration run");
        }
        if (rate == 0) {
            rate = FALLBACK_RATE;
            rateSource = "fallback: the calibration run failed";
        }
    }

    private void deriveRate(Measurement nettyRun, String source) {
        double throughput = nettyRun.value(Metric.THROUGHPUT);
        if (Double.isFinite(throughput) && throughput >= 2) {
            rate = Math.round(throughput / 2);
            rateSource = source;
            out.println("bench: rate for rate-1k: " + rate + " requests/s (" + source + ")");
        }
    }

    private static String summary(Measurement run) {
        if (run.reportFile() == null) {
            return "FAILED: " + run.problem().lines().findFirst().orElse("");
        }
        String text;
        if (run.scenario().kind() == Scenario.Kind.MEMORY) {
            text = String.format(Locale.ROOT, "held=%s heap/conn=%s B rss/conn=%s B",
                    MarkdownReport.number(run.value(Metric.HELD)),
                    MarkdownReport.number(run.value(Metric.HEAP_PER_CONNECTION)),
                    MarkdownReport.number(run.value(Metric.RSS_PER_CONNECTION)));
        } else {
            text = String.format(Locale.ROOT, "%s msg/s p50=%s µs p99=%s µs",
                    MarkdownReport.number(run.value(Metric.THROUGHPUT)), MarkdownReport.number(run.value(Metric.P50)),
                    MarkdownReport.number(run.value(Metric.P99)));
        }
        text += " errors=" + MarkdownReport.number(run.value(Metric.ERRORS)) + " exit=" + run.clientExit();
        return run.problem() == null ? text : text + " PROBLEM: " + run.problem().lines().findFirst().orElse("");
    }

    private void write(Results results) {
        try {
            Files.createDirectories(config.outDir());
            Path markdown = config.outDir().resolve("results.md");
            Files.writeString(markdown, MarkdownReport.render(results), StandardCharsets.UTF_8);
            Files.writeString(config.outDir().resolve("results.json"), JsonReport.render(results),
                    StandardCharsets.UTF_8);
            Files.writeString(config.outDir().resolve("results.html"), HtmlSummary.render(results),
                    StandardCharsets.UTF_8);
            out.println("bench: wrote " + markdown.toAbsolutePath() + ", results.json and results.html");
        } catch (IOException e) {
            System.err.println("bench: cannot write the results: " + e.getMessage());
        }
    }
}
