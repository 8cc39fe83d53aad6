package io.courier.soak;

import com.fasterxml.jackson.databind.JsonNode;
import io.courier.harness.MachineInfo;
import io.courier.harness.MemoryProbe;
import io.courier.harness.ServerProcess;
import io.courier.protocol.units.Quantities;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The soak: starts {@code server.jar} in its own JVM, runs the mixed workload (echo through the load-test client,
 * file transfers, a chat room, hostile clients) for {@code soak.duration}, samples the server's heap after GC, its
 * descriptors and its event-loop lag, stops everything, checks the figures ({@link SoakChecks}) and writes
 * {@code results.md}. Exit code 0 when every check passed, 1 when one failed or the run broke off, 2 for a wrong
 * option. Run it with {@code mvn -Psoak verify -DskipTests [-Dsoak.duration=10m]}; options: {@link SoakConfig}.
 */
public final class SoakMain {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration FINISH_TIMEOUT = Duration.ofSeconds(60);

    private final SoakConfig config;
    private final PrintStream out;

    SoakMain(SoakConfig config, PrintStream out) {
        this.config = config;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        SoakConfig config;
        try {
            config = SoakConfig.from(System.getProperties());
        } catch (IllegalArgumentException e) {
            System.err.println("soak: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (!Files.isRegularFile(config.serverJar())) {
            System.err.println("soak: " + config.serverJar() + " does not exist; build it first (mvn -DskipTests "
                    + "package) or point soak.server-jar at it");
            System.exit(2);
            return;
        }
        SoakOutcome outcome = new SoakMain(config, out).run();
        Path results = config.outDir().resolve("results.md");
        Files.writeString(results, SoakReport.markdown(outcome), StandardCharsets.UTF_8);
        outcome.checks().forEach(c -> out.printf("soak: %s %s: %s%n", c.passed() ? "pass" : "FAIL", c.name(),
                c.detail()));
        out.printf("soak: %s; results in %s%n", outcome.passed() ? "PASSED" : "FAILED", results.toAbsolutePath());
        System.exit(outcome.passed() ? 0 : 1);
    }

    SoakOutcome run() throws IOException, InterruptedException {
        String started = OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS).toString();
        MachineInfo machine = MachineInfo.gather(config.java());
        Path outDir = config.outDir();
        Path filesDir = outDir.resolve("files");
        deleteTree(filesDir);
        Files.createDirectories(filesDir);
        List<String> command = serverCommand(filesDir);
        out.printf("soak: %s of mixed load against %s; %d CPUs (%s); results in %s%n",
                Quantities.format(config.duration()), config.serverJar(), machine.cpus(), machine.cpuModel(),
                outDir.toAbsolutePath());

        Run run = new Run();
        ServerProcess server = ServerProcess.start("courier", command, portFile(), outDir.resolve("server.log"),
                START_TIMEOUT);
        int exitCode;
        try {
            run.measure(server);
        } catch (IOException | RuntimeException e) {
            run.failure = e.toString();
            out.println("soak: the run broke off: " + e);
        } finally {
            run.stopClients();
            exitCode = server.stop();
        }
        long[] logLines = countLogLines(outDir.resolve("server.log"));
        deleteTree(filesDir);
        List<Check> checks = SoakChecks.evaluate(new SoakChecks.Inputs(config, run.workloads, run.hostileSummaries,
                run.samples, run.idleBefore, run.idleAfter, run.fdsBefore, run.fdsAfter, run.lagSamples, exitCode,
                logLines[1]));
        return new SoakOutcome(config, machine, started, run.measuredSeconds, command, run.workloads,
                run.hostileSummaries, run.hostileSkipped, run.samples, run.idleBefore, run.idleAfter, run.fdsBefore,
                run.fdsAfter, run.lagSamples, run.finalStats, exitCode, logLines[0], logLines[1], checks, run.failure);
    }

    private List<String> serverCommand(Path filesDir) {
        List<String> command = new ArrayList<>();
        command.add(config.java().toString());
        command.addAll(config.serverJvm());
        command.addAll(List.of("-jar", config.serverJar().toString(), "--port", "0", "--port-file",
                portFile().toAbsolutePath().toString(), "--files-dir", filesDir.toAbsolutePath().toString(),
                "--log-level", "warn"));
        return command;
    }

    /** Where the server writes its bound address ({@code --port-file}). */
    private Path portFile() {
        return config.outDir().resolve("server.port");
    }

    /** One run's moving parts and what they measured. */
    private final class Run {
        final List<Sample> samples = new ArrayList<>();
        final List<Double> lagSamples = new ArrayList<>();
        List<Workload> workloads = new ArrayList<>();
        List<HostileSummary> hostileSummaries = new ArrayList<>();
        long hostileSkipped;
        Sample idleBefore;
        Sample idleAfter;
        List<String> fdsBefore = List.of();
        List<String> fdsAfter = List.of();
        JsonNode finalStats;
        double measuredSeconds;
        String failure;
        private EchoLoad echo;
        private FileTraffic files;
        private RoomTraffic rooms;
        private HostileClients hostiles;

        void measure(ServerProcess server) throws IOException, InterruptedException {
            try (ServerProbe probe = new ServerProbe(server.pid(), MemoryProbe.besides(config.java()), server.port())) {
                probe.sample(0, 1); // the first jcmd starts the server's attach listener: a descriptor of its own
                idleBefore = probe.sample(0, config.gcSamples());
                fdsBefore = probe.fdTargets();
                out.printf("soak: server pid %d on port %d; idle: live heap %.1f MiB after GC, %d fds%n", server.pid(),
                        server.port(), idleBefore.heapUsedBytes() / 1048576.0, idleBefore.fds());

                long start = System.nanoTime();
                // The echo load would stop by itself after its duration; it is stopped with the rest instead, so
                // the last sample still sees the full load.
                echo = EchoLoad.start(config, server.port(), config.duration().plusMinutes(5));
                files = FileTraffic.start(config, server.port());
                rooms = RoomTraffic.start(config, server.port());
                hostiles = HostileClients.start(config, server.port());
                sampleUntilTheEnd(server, probe, start);
                measuredSeconds = (System.nanoTime() - start) / 1e9;

                stopClients();
                awaitOnlyTheProbe(probe);
                idleAfter = probe.sample(measuredSeconds, config.gcSamples());
                fdsAfter = probe.fdTargets();
                finalStats = probe.stats();
                out.printf("soak: idle again: live heap %.1f MiB after GC, %d fds%n", idleAfter.heapUsedBytes() / 1048576.0,
                        idleAfter.fds());
            }
        }

        private void sampleUntilTheEnd(ServerProcess server, ServerProbe probe, long start)
                throws IOException, InterruptedException {
            long end = start + config.duration().toNanos();
            long nextSample = start + config.sampleInterval().toNanos();
            long nextLag = start + config.lagInterval().toNanos();
            while (true) {
                long now = System.nanoTime();
                if (!server.isAlive()) {
                    throw new IOException("the server exited during the soak; its last output:\n"
                            + server.outputTail());
                }
                if (now >= nextLag) {
                    lagSamples.add(probe.lagMillis());
                    nextLag += config.lagInterval().toNanos();
                }
                if (now >= nextSample || now >= end) {
                    Sample s = probe.sample((now - start) / 1e9, config.gcSamples());
                    samples.add(s);
                    nextSample += config.sampleInterval().toNanos();
                    out.printf(Locale.ROOT, "soak: [%4.0fs] live heap %.1f MiB after GC, RSS %.0f MiB, %d fds, %d "
                                    + "connections, loop lag %.1f ms (max %.1f)%n", s.seconds(),
                            s.heapUsedBytes() / 1048576.0, s.rssBytes() / 1048576.0, s.fds(), s.connectionsOpen(),
                            s.lagLastMillis(), s.lagMaxMillis());
                }
                if (now >= end) {
                    return;
                }
                long next = Math.min(end, Math.min(nextSample, nextLag));
                TimeUnit.NANOSECONDS.sleep(Math.max(0, next - System.nanoTime()));
            }
        }

        /** Stops every client still running (bounded); safe to call twice. */
        void stopClients() throws InterruptedException {
            if (hostiles != null) {
                hostileSummaries = hostiles.finish(FINISH_TIMEOUT);
                hostileSkipped = hostiles.skipped();
                hostiles = null;
            }
            List<Workload> done = new ArrayList<>();
            if (echo != null) {
                echo.stop();
            }
            if (rooms != null) {
                done.add(rooms.finish(FINISH_TIMEOUT));
                rooms = null;
            }
            if (files != null) {
                done.addAll(files.finish(FINISH_TIMEOUT));
                files = null;
            }
            if (echo != null) {
                done.addAll(0, echo.finish(FINISH_TIMEOUT));
                echo = null;
            }
            workloads.addAll(done);
        }

        /** Waits until the probe's connection is the only one left (lingering closes take up to 2 s). */
        private void awaitOnlyTheProbe(ServerProbe probe) throws IOException, InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (probe.stats().path("connections").path("open").asLong() > 1 && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(200);
            }
        }
    }

    /** {WARN lines, ERROR lines} in the server's log (its pattern starts each line with the level). */
    static long[] countLogLines(Path log) {
        long[] counts = new long[2];
        try (Stream<String> lines = Files.lines(log, StandardCharsets.UTF_8)) {
            lines.forEach(line -> {
                if (line.startsWith("WARN")) {
                    counts[0]++;
                } else if (line.startsWith("ERROR")) {
                    counts[1]++;
                }
            });
        } catch (IOException | java.io.UncheckedIOException e) {
            counts[1]++; // an unreadable log hides what the server said: not a clean run
        }
        return counts;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
