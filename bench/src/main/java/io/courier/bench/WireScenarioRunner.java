package io.courier.bench;

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
 * Runs one wire scenario against one server: the server (a JVM from its jar as {@link ScenarioRunner} starts it, or
 * Redis/NATS through {@link NativeServer}), then the neutral client {@code io.courier.bench.wire.WireClient} as its
 * own pinned process, and the server's CPU time over the client's measured period. Every process it starts is
 * stopped before it returns.
 */
final class WireScenarioRunner {
    private static final Duration CLIENT_SLACK = Duration.ofSeconds(150);
    private static final String WIRE_MAIN = "io.courier.bench.wire.WireClient";

    private final BenchConfig config;

    WireScenarioRunner(BenchConfig config) {
        this.config = config;
    }

    /** The server as the runner needs it, whichever way it was started. */
    private interface Running extends AutoCloseable {
        int port();

        long pid();

        boolean isAlive();

        @Override
        void close() throws InterruptedException;
    }

    Measurement run(Scenario scenario, ServerKind server, int round, long rate)
            throws IOException, InterruptedException {
        String name = ScenarioRunner.runName(scenario, server, round);
        Path logs = config.outDir().resolve("logs");
        try (Running process = start(server, name, logs)) {
            String reportName = "raw/" + name + ".json";
            Path reportFile = config.outDir().resolve(reportName);
            ClientProcess client = ClientProcess.start(command(scenario, server, process.port(), rate, reportFile),
                    reportFile, logs.resolve(name + "-client.log"));
            Map<String, Double> values = new LinkedHashMap<>();
            String problem;
            try {
                problem = measureCpu(process, client, values);
            } catch (IOException e) { // a process gone before its CPU time was read
                problem = "CPU measurement failed: " + e.getMessage();
            }
            ClientProcess.Result result = client.finish(config.warmup().plus(config.duration()).plus(CLIENT_SLACK));
            if (result.hasReport()) {
                values.putAll(Measurement.fromReport(result.report()));
            } else {
                String lastLine = result.outputTail().lines().reduce((a, b) -> b).orElse("");
                problem = join(problem, result.problem() + (lastLine.isBlank() ? "" : " (its last line: '"
                        + lastLine.strip() + "')") + "; see logs/" + name + "-client.log");
            }
            Double cpuShare = values.remove(CPU_SECONDS_KEY);
            Double throughput = values.get(Metric.THROUGHPUT.key());
            if (cpuShare != null && throughput != null && cpuShare > 0) {
                values.put(Metric.PER_CPU_SECOND.key(), throughput / cpuShare);
            }
            if (!process.isAlive()) {
                problem = join(problem, server.label() + " exited during the run; see logs/" + name + "-server.log");
            }
            return new Measurement(scenario, server, round, values, result.exitCode(), problem,
                    result.hasReport() ? reportName : null);
        }
    }

    private Running start(ServerKind server, String name, Path logs) throws IOException, InterruptedException {
        Path log = logs.resolve(name + "-server.log");
        if (server.isNative()) {
            NativeServer started = NativeServer.start(config, server, log, config.startTimeout());
            return running(started::port, started::pid, started::isAlive, started::close);
        }
        Path portFile = logs.resolve(name + "-server.port");
        ServerProcess started = ServerProcess.start(server.label(), server.command(config, portFile), portFile, log,
                config.startTimeout());
        return running(started::port, started::pid, started::isAlive, started::close);
    }

    /** A close that may be interrupted while it waits for the process to end. */
    private interface Stop {
        void run() throws InterruptedException;
    }

    /** One view of a started server, a native one or a JVM: its port, its pid, whether it lives, how to stop it. */
    private static Running running(java.util.function.IntSupplier port, java.util.function.LongSupplier pid,
                                   java.util.function.BooleanSupplier alive, Stop stop) {
        return new Running() {
            public int port() {
                return port.getAsInt();
            }

            public long pid() {
                return pid.getAsLong();
            }

            public boolean isAlive() {
                return alive.getAsBoolean();
            }

            public void close() throws InterruptedException {
                stop.run();
            }
        };
    }

    /** {@code [taskset -c CPUS] java CLIENT_JVM -cp bench.jar WireClient --protocol P --host --port ARGS --json F}. */
    List<String> command(Scenario scenario, ServerKind server, int port, long rate, Path reportFile) {
        List<String> command = new ArrayList<>(config.pinning(config.clientCpus()));
        command.add(config.java().toString());
        command.addAll(config.clientJvm());
        command.addAll(List.of("-cp", config.jar().toString(), WIRE_MAIN, "--protocol", server.wireProtocol(),
                "--host", "127.0.0.1", "--port", Integer.toString(port)));
        command.addAll(scenario.clientArguments(config, rate));
        command.addAll(List.of("--json", reportFile.toAbsolutePath().toString()));
        return command;
    }

    /**
     * The server's CPU over the client's measured period. The client prints a progress line once its connections
     * and subscriptions are set up (1,000 members take a while), and its warm-up starts then.
     */
    private String measureCpu(Running process, ClientProcess client, Map<String, Double> values)
            throws IOException, InterruptedException {
        ProgressLine ready = client.awaitProgress(p -> p.open() >= 0, Duration.ofSeconds(70));
        if (ready == null) {
            return "the client never reported its set-up done; server CPU not measured";
        }
        // Wall-clock waits for a child process's schedule: the client runs on its own clock.
        TimeUnit.MILLISECONDS.sleep(config.warmup().toMillis());
        CpuProbe.measure(List.of(process.pid()), client.pid(), config.duration()).putInto(values, CPU_SECONDS_KEY);
        return null;
    }

    private static final String CPU_SECONDS_KEY = "cpu_seconds_per_second";

    private static String join(String a, String b) {
        return a == null ? b : a + "; " + b;
    }
}
