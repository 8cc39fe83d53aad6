package io.courier.soak;

import io.courier.loadtest.ErrorCounts;
import io.courier.loadtest.LoadOptions;
import io.courier.loadtest.LoadRunner;
import io.courier.loadtest.Report;
import io.courier.protocol.Framing;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Echo traffic through the load-test client ({@link LoadRunner}), in this process: a closed loop in binary framing
 * and a smaller one in JSON text, each verifying every reply (matched by id, contents compared) and counting the
 * lost, duplicated and mismatched ones.
 */
final class EchoLoad {
    private final List<Run> runs = new ArrayList<>();

    private record Run(String name, LoadRunner runner, CompletableFuture<Report> report, ByteArrayOutputStream log) {
    }

    /** Starts both loops; they stop by themselves after {@code duration}. */
    static EchoLoad start(SoakConfig config, int port, Duration duration) {
        EchoLoad load = new EchoLoad();
        load.add("echo (binary)", config, port, duration, Framing.BINARY, config.echoConnections());
        load.add("echo (JSON text)", config, port, duration, Framing.JSON_TEXT,
                Math.max(1, config.echoConnections() / 2));
        return load;
    }

    private void add(String name, SoakConfig config, int port, Duration duration, Framing framing, int connections) {
        LoadOptions options = LoadOptions.builder().host("127.0.0.1").port(port).threads(1).connections(connections)
                .depth(config.echoDepth()).bodyBytes(config.echoBodyBytes()).framing(framing).duration(duration)
                .grace(Duration.ofSeconds(10)).progress(false).build();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        LoadRunner runner = new LoadRunner(options, new PrintStream(log, true, StandardCharsets.UTF_8));
        CompletableFuture<Report> report = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                report.complete(runner.run());
            } catch (Throwable e) {
                report.completeExceptionally(e);
            }
        }, "soak-" + name.replaceAll("\\W+", "-"));
        thread.setDaemon(true);
        thread.start();
        runs.add(new Run(name, runner, report, log));
    }

    /** Stops sending now (the runs drain and report as usual). */
    void stop() {
        runs.forEach(run -> run.runner().requestStop());
    }

    /** Waits for both reports (bounded) and sums each up as a workload. */
    List<Workload> finish(Duration timeout) throws InterruptedException {
        List<Workload> workloads = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Run run : runs) {
            Report report;
            try {
                report = run.report().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                run.runner().requestStop();
                workloads.add(new Workload(run.name(), 0, 1, "no report: " + e, List.of(String.valueOf(e))));
                continue;
            }
            workloads.add(summarise(run.name(), report));
        }
        return workloads;
    }

    static Workload summarise(String name, Report r) {
        ErrorCounts e = r.errors();
        long problems = e.total() + (r.failure() != null ? 1 : 0);
        if (problems == 0 && !r.success()) {
            problems = 1; // e.g. nothing was sent at all: the report's own verdict says why
        }
        String detail = String.format(Locale.ROOT, "%d connections x depth %d, body %d B: %d requests, %d ok, "
                        + "%.0f/s; latency p50 %s p99 %s max %s; lost %d, duplicated %d, mismatched %d, error "
                        + "replies %d, disconnects %d, connect failures %d", r.connections(), r.depth(),
                r.bodyBytes(), r.requestsSent(), r.repliesOk(), r.throughputPerSecond(), ms(r.latency().p50()),
                ms(r.latency().p99()), ms(r.latency().max()), e.lost(), e.duplicated(), e.mismatched(),
                e.errorReplies(), e.disconnects(), e.connectFailures());
        List<String> samples = new ArrayList<>(r.errorSamples());
        if (!r.success()) {
            samples.add("load-test verdict: " + String.join("; ", r.problems()));
        }
        return new Workload(name, r.repliesOk() + r.warmupOk(), problems, detail, samples);
    }

    private static String ms(double micros) {
        return String.format(Locale.ROOT, "%.2fms", micros / 1000.0);
    }
}
