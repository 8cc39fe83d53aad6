package io.courier.bench;

import io.courier.bench.cluster.CourierInstances;
import io.courier.bench.cluster.FreePorts;
import io.courier.bench.cluster.RedisServer;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the scenarios that need several processes on the server side: {@code fanout-1x} and {@code fanout-2x-redis}
 * (one Courier, or two sharing a Redis with the publishers on the first and the members on the second), and
 * {@code echo-1p-reuseport} and {@code echo-2p-reuseport} (one or two Courier processes on one reuse-port
 * listener). Every server-side process (instances and Redis) is pinned to {@code bench.server.cpus}, so the
 * comparison holds the server's CPU budget fixed; its CPU figure is their sum. Everything started is stopped
 * before {@link #run} returns.
 */
final class ClusterScenarioRunner {
    /** Slack over the client's own time: its connects and joins, the grace period, its JVM. */
    private static final Duration CLIENT_SLACK = Duration.ofSeconds(90);
    private static final String CPU_SECONDS_KEY = "cpu_seconds_per_second";

    private final BenchConfig config;

    ClusterScenarioRunner(BenchConfig config) {
        this.config = config;
    }

    static boolean handles(Scenario scenario) {
        return switch (scenario) {
            case FANOUT_ONE, FANOUT_CLUSTER, ECHO_ONE_PROCESS, ECHO_TWO_PROCESSES -> true;
            default -> false;
        };
    }

    /** How many Courier processes the scenario runs. */
    static int instances(Scenario scenario) {
        return scenario == Scenario.FANOUT_CLUSTER || scenario == Scenario.ECHO_TWO_PROCESSES ? 2 : 1;
    }

    Measurement run(Scenario scenario, int round) throws IOException, InterruptedException {
        String name = ScenarioRunner.runName(scenario, ServerKind.COURIER, round);
        Path logs = config.outDir().resolve("logs");
        RedisServer redis = scenario == Scenario.FANOUT_CLUSTER
                ? RedisServer.start(config, logs.resolve(name + "-redis.log"), config.startTimeout()) : null;
        try (CourierInstances instances = CourierInstances.start(config, logs, name, instances(scenario),
                serverOptions(scenario, redis))) {
            String reportName = "raw/" + name + ".json";
            Path reportFile = config.outDir().resolve(reportName);
            List<String> arguments = new ArrayList<>(scenario.clientArguments(config, 0));
            arguments.addAll(targets(scenario, instances));
            ClientProcess client = ClientProcess.start(ClientProcess.command(config, instances.port(0), arguments,
                    reportFile), reportFile, logs.resolve(name + "-client.log"));
            List<Long> serverPids = new ArrayList<>();
            instances.processes().forEach(p -> serverPids.add(p.pid()));
            if (redis != null) {
                serverPids.add(redis.pid());
            }
            Map<String, Double> probe = new LinkedHashMap<>();
            String problem = null;
            try {
                measureCpu(serverPids, client, probe);
            } catch (IOException e) {
                problem = "CPU measurement failed: " + e.getMessage();
            }
            ClientProcess.Result result = client.finish(config.warmup().plus(config.duration()).plus(CLIENT_SLACK));
            if (!instances.allAlive() || (redis != null && !redis.isAlive())) {
                problem = join(problem, "a server process exited during the run; see logs/" + name + "-*.log");
            }
            return measurement(scenario, round, name, result, probe, problem, reportName);
        } finally {
            if (redis != null) {
                redis.close();
            }
        }
    }

    /** {@code --cluster URI} for the Redis scenario; one shared reuse-port listener for the echo ones. */
    static List<String> serverOptions(Scenario scenario, RedisServer redis) throws IOException {
        switch (scenario) {
            case FANOUT_CLUSTER:
                return List.of("--cluster", redis.uri());
            case ECHO_ONE_PROCESS:
            case ECHO_TWO_PROCESSES:
                return List.of("--listen", "127.0.0.1:" + FreePorts.one() + ",reuse-port=true");
            default:
                return List.of();
        }
    }

    /** Fan-out across instances: members on the second, publishers on the first. Otherwise the first port. */
    static List<String> targets(Scenario scenario, CourierInstances instances) {
        if (scenario == Scenario.FANOUT_CLUSTER) {
            return List.of("--target", "127.0.0.1:" + instances.port(1), "--publisher-target",
                    "127.0.0.1:" + instances.port(0));
        }
        return List.of();
    }

    /** The server side's CPU (all its processes together) and the client's, over the measured period. */
    private void measureCpu(List<Long> serverPids, ClientProcess client, Map<String, Double> values)
            throws IOException, InterruptedException {
        // The client's clock starts once its connections are up (the fan-out joins 100 members first): its
        // progress lines say when its warm-up is over. Then a wall-clock wait for the measured period.
        double warmupSeconds = config.warmup().toMillis() / 1000.0;
        client.awaitProgress(p -> p.seconds() >= warmupSeconds, config.warmup().plus(CLIENT_SLACK));
        CpuProbe.measure(serverPids, client.pid(), config.duration()).putInto(values, CPU_SECONDS_KEY);
    }

    private Measurement measurement(Scenario scenario, int round, String name, ClientProcess.Result result,
                                    Map<String, Double> probe, String problem, String reportName) {
        Map<String, Double> values = new LinkedHashMap<>();
        if (result.hasReport()) {
            values.putAll(Measurement.fromReport(result.report()));
        } else {
            problem = join(problem, result.problem() + "; see logs/" + name + "-client.log");
        }
        values.putAll(probe);
        Double cpuShare = values.remove(CPU_SECONDS_KEY);
        Double throughput = values.get(Metric.THROUGHPUT.key());
        if (cpuShare != null && throughput != null && cpuShare > 0) {
            values.put(Metric.PER_CPU_SECOND.key(), throughput / cpuShare);
        }
        return new Measurement(scenario, ServerKind.COURIER, round, values, result.exitCode(), problem,
                result.hasReport() ? reportName : null);
    }

    private static String join(String a, String b) {
        return a == null ? b : a + "; " + b;
    }
}
