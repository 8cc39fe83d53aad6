package io.courier.bench;

import io.courier.protocol.units.Quantities;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Every option of the suite. Each is a system property {@code bench.NAME} or an argument {@code --NAME VALUE} /
 * {@code --NAME=VALUE} (arguments win). Durations are written as everywhere in Courier ({@code 500ms}, {@code 10s},
 * {@code 2m}; see {@link Quantities}): a bare number other than {@code 0} is refused.
 *
 * @param rounds          times each (scenario, server) pair runs, servers alternating within a round
 * @param duration        measured time of each throughput and latency run
 * @param warmup          unmeasured time before it
 * @param rampUp          time over which the rate scenario opens its connections
 * @param scenarios       which scenarios, in order
 * @param servers         which servers, in the order they alternate
 * @param rate            total request rate of the rate scenario; 0 = half the Netty peer's echo-100b throughput
 * @param heldConnections connections the held scenario opens
 * @param heldDuration    how long the client holds them (memory is measured meanwhile)
 * @param heldRampUp      time over which they are opened
 * @param serverJvm       JVM flags, the same for every server
 * @param clientJvm       JVM flags of the load-test client (when the default client command is used)
 * @param clientCommand   command that starts the client, before its options; empty = java CLIENT_JVM -jar JAR
 * @param extraClientArgs appended to every client command line, before any per-scenario extras
 * @param scenarioExtras  per scenario, from {@code bench.client.extra.SCENARIO}
 * @param java            the java launcher for servers and client
 * @param jar             the bench jar (the peers run from it)
 * @param serverJar       Courier's own jar, {@code server/target/server.jar}
 * @param clientJar       the load client's jar, {@code loadtest/target/loadtest.jar}
 * @param outDir          where results.md, results.json and the per-run logs go
 * @param pin             pin servers and client to CPUs with taskset
 * @param serverCpus      taskset CPU list of servers
 * @param clientCpus      taskset CPU list of the client
 * @param startTimeout    how long a server may take to write its port file
 * @param fanoutRate      deliveries/s of the fixed-rate fan-out; 0 = half the slowest server's fanout-50
 */
public record BenchConfig(int rounds, Duration duration, Duration warmup, Duration rampUp, List<Scenario> scenarios,
                          List<ServerKind> servers, long rate, int heldConnections, Duration heldDuration,
                          Duration heldRampUp, List<String> serverJvm, List<String> clientJvm,
                          List<String> clientCommand, List<String> extraClientArgs,
                          Map<Scenario, List<String>> scenarioExtras, Path java, Path jar, Path serverJar,
                          Path clientJar, Path outDir, boolean pin,
                          String serverCpus, String clientCpus, Duration startTimeout, long fanoutRate) {

    static final String PREFIX = "bench.";
    static final String DEFAULT_SCENARIOS = "echo-100b,echo-16k,rate-1k,held-10k,"
            + "ping-64x16,ping-64x1,fanout-50,fanout-1k,body-16k,fanout-rate-50";

    /** The options from system properties overridden by {@code args}. */
    public static BenchConfig from(Properties properties, String[] args) {
        Map<String, String> options = new HashMap<>();
        for (String name : properties.stringPropertyNames()) {
            if (name.startsWith(PREFIX)) {
                options.put(name.substring(PREFIX.length()), properties.getProperty(name));
            }
        }
        options.putAll(parseArgs(args));
        return from(options);
    }

    /** The options from a map of names without the {@code bench.} prefix; blank values mean the default. */
    public static BenchConfig from(Map<String, String> options) {
        Map<String, String> o = new HashMap<>();
        options.forEach((key, value) -> {
            if (value != null && !value.isBlank()) {
                o.put(key, value.trim());
            }
        });
        Path java = Path.of(o.getOrDefault("java",
                Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        Map<Scenario, List<String>> scenarioExtras = new HashMap<>();
        for (Scenario scenario : Scenario.values()) {
            scenarioExtras.put(scenario, words(o.get("client.extra." + scenario.label())));
        }
        BenchConfig config = new BenchConfig(
                Integer.parseInt(o.getOrDefault("rounds", "3")),
                duration(o, "duration", "10s"),
                duration(o, "warmup", "5s"),
                duration(o, "ramp-up", "2s"),
                list(o.getOrDefault("scenarios", DEFAULT_SCENARIOS), Scenario::fromLabel),
                list(o.getOrDefault("servers", "courier,netty,blocking,redis,nats"), ServerKind::fromLabel),
                Long.parseLong(o.getOrDefault("rate", "0")),
                Integer.parseInt(o.getOrDefault("held", "10000")),
                duration(o, "held.duration", "20s"),
                duration(o, "held.ramp-up", "5s"),
                words(o.getOrDefault("jvm", "-Xms1g -Xmx1g -XX:+UseG1GC -XX:+AlwaysPreTouch")),
                words(o.getOrDefault("client.jvm", "-Xms1g -Xmx1g -XX:+UseG1GC")),
                words(o.get("client")),
                words(o.get("client.extra")),
                Map.copyOf(scenarioExtras),
                java,
                Path.of(o.getOrDefault("jar", defaultJar())),
                Path.of(o.getOrDefault("server-jar", "server/target/server.jar")),
                Path.of(o.getOrDefault("client-jar", "loadtest/target/loadtest.jar")),
                Path.of(o.getOrDefault("out", "bench/target/bench")),
                Boolean.parseBoolean(o.getOrDefault("pin", Boolean.toString(tasksetAvailable()))),
                o.getOrDefault("server.cpus", "0"),
                o.getOrDefault("client.cpus", "1"),
                duration(o, "start-timeout", "30s"),
                Long.parseLong(o.getOrDefault("fanout-rate", "0")));
        config.validate();
        return config;
    }

    private void validate() {
        if (rounds < 1) {
            throw new IllegalArgumentException("rounds must be at least 1, got " + rounds);
        }
        if (scenarios.isEmpty() || servers.isEmpty()) {
            throw new IllegalArgumentException("choose at least one scenario and one server");
        }
        if (rate < 0 || heldConnections < 1 || fanoutRate < 0) {
            throw new IllegalArgumentException("rate must be 0 (derived) or more and held at least 1");
        }
    }

    /** The command that starts the client, before its options. */
    public List<String> clientLauncher() {
        if (!clientCommand.isEmpty()) {
            return clientCommand;
        }
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(clientJvm);
        command.add("-jar");
        command.add(clientJar.toString());
        return command;
    }

    /** Extra client options for one scenario: the global ones, then the scenario's own. */
    public List<String> extraClientArguments(Scenario scenario) {
        List<String> extra = new ArrayList<>(extraClientArgs);
        extra.addAll(scenarioExtras.getOrDefault(scenario, List.of()));
        return extra;
    }

    /** {@code --name value}, {@code --name=value} or {@code name=value} to a map. */
    static Map<String, String> parseArgs(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg.startsWith("--") ? arg.substring(2) : arg;
            if (name.startsWith(PREFIX)) {
                name = name.substring(PREFIX.length());
            }
            int eq = name.indexOf('=');
            if (eq > 0) {
                options.put(name.substring(0, eq), name.substring(eq + 1));
            } else if (arg.startsWith("--") && i + 1 < args.length) {
                options.put(name, args[++i]);
            } else {
                throw new IllegalArgumentException("cannot read option '" + arg + "': use --name value or name=value");
            }
        }
        return options;
    }

    /** The duration option {@code name}, read as everywhere in Courier. */
    private static Duration duration(Map<String, String> options, String name, String fallback) {
        return Quantities.duration("bench." + name, options.getOrDefault(name, fallback));
    }

    private static <T> List<T> list(String text, java.util.function.Function<String, T> parse) {
        return Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(parse).toList();
    }

    private static List<String> words(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        return List.of(text.trim().split("\\s+"));
    }

    private static String defaultJar() {
        try {
            Path self = Path.of(BenchConfig.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isRegularFile(self) && self.toString().endsWith(".jar")) {
                return self.toString();
            }
        } catch (Exception e) {
            // fall through to the usual place
        }
        return "bench/target/bench.jar";
    }

    private static boolean tasksetAvailable() {
        return Runtime.getRuntime().availableProcessors() >= 2
                && (Files.isExecutable(Path.of("/usr/bin/taskset")) || Files.isExecutable(Path.of("/bin/taskset")));
    }

    /** {@code taskset -c CPUS} when pinning, else nothing. */
    public List<String> pinning(String cpus) {
        return pin ? List.of("taskset", "-c", cpus) : List.of();
    }
}
