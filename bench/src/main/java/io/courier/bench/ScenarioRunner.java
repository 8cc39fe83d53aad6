package io.courier.bench;

import io.courier.harness.MemoryProbe;
import io.courier.harness.PortFile;
import io.courier.harness.ServerProcess;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one scenario against one server: a fresh server JVM, one client process, and for the memory scenario a
 * full-GC memory sample with no connections and another while the client holds its connections. Every process it
 * starts is stopped before it returns.
 */
public final class ScenarioRunner {
    /** Slack on top of a client's own run time before the suite gives up on it. */
    private static final Duration CLIENT_SLACK = Duration.ofSeconds(90);

    private final BenchConfig config;
    private final MemoryProbe memory;
    private final WireScenarioRunner wire;
    /** The certificate and key of the TLS scenarios, made on the first one; null until then. */
    private TlsFiles tls;

    public ScenarioRunner(BenchConfig config, MemoryProbe memory) {
        this.config = config;
        this.memory = memory;
        this.wire = new WireScenarioRunner(config);
    }

    /**
     * Runs {@code scenario} against {@code server}.
     *
     * @param rate the fixed request rate for the rate scenario (ignored by the others)
     * @throws IOException when the server cannot be started: the suite cannot go on
     */
    public Measurement run(Scenario scenario, ServerKind server, int round, long rate)
            throws IOException, InterruptedException {
        if (ClusterScenarioRunner.handles(scenario)) {
            return new ClusterScenarioRunner(config).run(scenario, round);
        }
        if (scenario.wire()) {
            return wire.run(scenario, server, round, rate);
        }
        String name = runName(scenario, server, round);
        Path logs = config.outDir().resolve("logs");
        Path portFile = logs.resolve(name + "-server.port");
        List<String> serverCommand = server.command(config, portFile, scenario.tls() ? tlsFiles() : null);
        try (ServerProcess process = ServerProcess.start(server.label(), serverCommand, portFile,
                logs.resolve(name + "-server.log"), config.startTimeout())) {
            int port = scenario.tls() ? PortFile.first(process.listeners(), "tls")
                    .orElseThrow(() -> new IOException(server.label() + " started without a TLS listener: "
                            + process.listeners())).getPort() : process.port();
            MemoryProbe.Sample idle = null;
            if (scenario.kind() == Scenario.Kind.MEMORY) {
                idle = memory.sampleAfterFullGc(process.pid());
            }
            String reportName = "raw/" + name + ".json";
            Path reportFile = config.outDir().resolve(reportName);
            List<String> clientCommand = scenario == Scenario.TLS_HANDSHAKES
                    ? ClientProcess.command(config, handshakeClient(), false, port,
                    scenario.clientArguments(config, rate), reportFile)
                    : ClientProcess.command(config, port, scenario.clientArguments(config, rate), reportFile);
            ClientProcess client = ClientProcess.start(clientCommand, reportFile,
                    logs.resolve(name + "-client.log"));
            Map<String, Double> probeValues = new LinkedHashMap<>();
            String memoryProblem = null;
            try {
                if (idle != null) {
                    memoryProblem = measureHeld(process, client, idle, probeValues);
                } else {
                    measureCpu(scenario, process, client, probeValues);
                }
            } catch (IOException e) {
                memoryProblem = "memory measurement failed: " + e.getMessage();
            } finally {
                if (memoryProblem != null) {
                    client.kill();
                }
            }
            ClientProcess.Result result = client.finish(clientTime(scenario).plus(CLIENT_SLACK));
            return measurement(scenario, server, round, process, result, probeValues, memoryProblem, reportName);
        }
    }

    private TlsFiles tlsFiles() throws IOException, InterruptedException {
        if (tls == null) {
            tls = TlsFiles.create(config.outDir());
        }
        return tls;
    }

    /** The bench's own new-connection client, from the bench jar, with the load tool's JVM flags. */
    private List<String> handshakeClient() {
        List<String> command = new ArrayList<>();
        command.add(config.java().toString());
        command.addAll(config.clientJvm());
        command.addAll(List.of("-cp", config.jar().toString(), HandshakeClient.class.getName()));
        return command;
    }

    /**
     * Samples the server's CPU time over the client's measured period (after ramp-up and warm-up), so the tables
     * can show how much of its core each server needed for the throughput it reached.
     */
    private void measureCpu(Scenario scenario, ServerProcess process, ClientProcess client,
                            Map<String, Double> values)
            throws IOException, InterruptedException {
        Duration before = config.warmup().plus(scenario == Scenario.RATE_1K ? config.rampUp() : Duration.ZERO);
        // Wall-clock waits for a child process's schedule: nothing to poll for, the client runs on its own clock.
        TimeUnit.MILLISECONDS.sleep(before.toMillis());
        CpuProbe.measure(List.of(process.pid()), client.pid(), config.duration()).putInto(values, CPU_SECONDS_KEY);
    }

    /**
     * Waits until the client holds all its connections (or stops opening more), then samples the server's memory.
     * Returns a problem, or null.
     */
    private String measureHeld(ServerProcess process, ClientProcess client, MemoryProbe.Sample idle,
                               Map<String, Double> values) throws IOException, InterruptedException {
        int wanted = config.heldConnections();
        double settleBy = config.heldRampUp().toMillis() / 1000.0 + 10;
        ProgressLine progress = client.awaitProgress(p -> p.held() >= wanted || p.seconds() >= settleBy,
                config.heldDuration());
        if (!process.isAlive()) {
            return "the server died while connections were opened";
        }
        long held = progress != null && progress.held() >= 0 ? progress.held() : wanted;
        MemoryProbe.Sample holding = memory.sampleAfterFullGc(process.pid());
        ProgressLine after = client.latestProgress();
        if (after != null && after.held() >= 0) {
            held = Math.min(held, after.held()); // connections lost while measuring do not count
        }
        values.put(Metric.HELD.key(), (double) held);
        values.put(Metric.HEAP_PER_CONNECTION.key(), held > 0
                ? (holding.heapUsedBytes() - idle.heapUsedBytes()) / (double) held : Double.NaN);
        values.put(Metric.RSS_PER_CONNECTION.key(), held > 0
                ? (holding.rssBytes() - idle.rssBytes()) / (double) held : Double.NaN);
        values.put(Metric.HEAP_BASELINE.key(), mib(idle.heapUsedBytes()));
        values.put(Metric.HEAP_HELD.key(), mib(holding.heapUsedBytes()));
        values.put(Metric.RSS_BASELINE.key(), mib(idle.rssBytes()));
        values.put(Metric.RSS_HELD.key(), mib(holding.rssBytes()));
        return progress == null ? "the client printed no progress line; measured without knowing it held "
                + "its connections" : null;
    }

    private Measurement measurement(Scenario scenario, ServerKind server, int round, ServerProcess process,
                                    ClientProcess.Result result, Map<String, Double> probeValues,
                                    String memoryProblem, String reportName) {
        Map<String, Double> values = new LinkedHashMap<>();
        String problem = memoryProblem;
        if (result.hasReport()) {
            values.putAll(Measurement.fromReport(result.report()));
        } else {
            String lastLine = result.outputTail().lines().reduce((first, second) -> second).orElse("");
            problem = join(problem, result.problem() + (lastLine.isBlank() ? "" : " (its last line: '"
                    + lastLine.strip() + "')") + "; see logs/" + runName(scenario, server, round) + "-client.log");
        }
        if (scenario.kind() == Scenario.Kind.MEMORY && result.hasReport()
                && !probeValues.containsKey(Metric.HELD.key())) {
            values.put(Metric.HELD.key(), (double) result.report().heldConnections());
        }
        values.putAll(probeValues);
        Double cpuShare = values.remove(CPU_SECONDS_KEY);
        Double throughput = values.get(Metric.THROUGHPUT.key());
        if (cpuShare != null && throughput != null && cpuShare > 0) {
            values.put(Metric.PER_CPU_SECOND.key(), throughput / cpuShare);
        }
        if (!process.isAlive()) {
            problem = join(problem, server.label() + " exited during the run; see logs/"
                    + runName(scenario, server, round) + "-server.log");
        }
        return new Measurement(scenario, server, round, values, result.exitCode(), problem,
                result.hasReport() ? reportName : null);
    }

    /** How long the client runs by its own options. */
    private Duration clientTime(Scenario scenario) {
        if (scenario == Scenario.HELD_10K) {
            return config.heldDuration().plus(config.heldRampUp());
        }
        return config.warmup().plus(config.duration()).plus(config.rampUp());
    }

    /** Internal: the server's CPU seconds per second of the measured period. */
    private static final String CPU_SECONDS_KEY = "cpu_seconds_per_second";

    static String runName(Scenario scenario, ServerKind server, int round) {
        return "r" + round + "-" + scenario.label() + "-" + server.label();
    }

    private static double mib(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }

    private static String join(String a, String b) {
        return a == null ? b : a + "; " + b;
    }
}
