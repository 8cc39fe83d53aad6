package io.courier.bench;

import io.courier.harness.ChildProcesses;
import io.courier.harness.ProcessOutput;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * One run of the load-test client in its own process: {@code [taskset -c CPUS] CLIENT --host --port OPTIONS --json
 * FILE}. It watches the client's progress lines as they come (the held scenario measures memory once enough
 * connections are open) and reads the JSON report when the client has exited.
 */
public final class ClientProcess {
    private final Process process;
    private volatile ProcessOutput output;
    private final Path reportFile;
    private final List<String> command;
    private final AtomicReference<ProgressLine> latest = new AtomicReference<>();
    private final Object progressLock = new Object();

    private ClientProcess(Process process, Path reportFile, List<String> command) {
        this.process = process;
        this.reportFile = reportFile;
        this.command = command;
    }

    /** The full client command line. */
    public static List<String> command(BenchConfig config, int port, List<String> scenarioArguments,
                                       Path reportFile) {
        return command(config, config.clientLauncher(), config.clientCommand().isEmpty(), port, scenarioArguments,
                reportFile);
    }

    /**
     * The command line of another client ({@code launcher}, e.g. the bench's own {@link HandshakeClient}), pinned
     * like the load tool; {@code html}: it draws its run with {@code --html FILE} as the load tool does.
     */
    public static List<String> command(BenchConfig config, List<String> launcher, boolean html, int port,
                                       List<String> scenarioArguments, Path reportFile) {
        List<String> command = new ArrayList<>(config.pinning(config.clientCpus()));
        command.addAll(launcher);
        command.addAll(List.of("--host", "127.0.0.1", "--port", Integer.toString(port)));
        command.addAll(scenarioArguments);
        command.addAll(List.of("--json", reportFile.toAbsolutePath().toString()));
        if (html) { // the load tool draws its run; another client may not know --html
            command.addAll(List.of("--html", htmlFile(reportFile).toAbsolutePath().toString()));
        }
        return command;
    }

    /** The page the load tool draws beside its JSON report: {@code raw/rN-SCENARIO-SERVER.html}. */
    public static Path htmlFile(Path reportFile) {
        String name = reportFile.getFileName().toString();
        return reportFile.resolveSibling(name.replaceFirst("\\.json$", "") + ".html");
    }

    /** Starts the client; its output goes to {@code log}. */
    public static ClientProcess start(List<String> command, Path reportFile, Path log)
            throws IOException, InterruptedException {
        Files.deleteIfExists(reportFile);
        Files.createDirectories(reportFile.toAbsolutePath().getParent());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        ChildProcesses.register(process);
        ClientProcess client = new ClientProcess(process, reportFile, command);
        try {
            client.output = ProcessOutput.start(process.getInputStream(), log, "bench-client-output",
                    line -> ProgressLine.parse(line).ifPresent(client::onProgress));
        } catch (IOException | RuntimeException e) {
            ChildProcesses.stop(process, 0);
            throw e;
        }
        return client;
    }

    private void onProgress(ProgressLine progress) {
        synchronized (progressLock) {
            latest.set(progress);
            progressLock.notifyAll();
        }
    }

    /**
     * Waits until a progress line satisfies {@code condition}, the client exits, or {@code timeout} passes; returns
     * the latest progress line then (null if none came).
     */
    public ProgressLine awaitProgress(Predicate<ProgressLine> condition, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (progressLock) {
            while (true) {
                ProgressLine current = latest.get();
                if (current != null && condition.test(current)) {
                    return current;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || !process.isAlive()) {
                    return current;
                }
                progressLock.wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 200)));
            }
        }
    }

    /** The latest progress line, or null. */
    /** The client's process id, to sample its CPU time. */
    public long pid() {
        return process.pid();
    }

    public ProgressLine latestProgress() {
        return latest.get();
    }

    /** Waits for the client to exit (killing it after {@code timeout}) and reads its report. */
    public Result finish(Duration timeout) throws InterruptedException {
        boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        int code = exited ? process.exitValue() : ChildProcesses.stop(process, 5000);
        ChildProcesses.unregister(process);
        output.awaitEnd(5000);
        ClientReport report = null;
        String problem = exited ? null : "the client did not finish within " + timeout + " and was stopped";
        try {
            if (Files.isRegularFile(reportFile)) {
                report = ClientReport.parse(Files.readString(reportFile));
            } else if (problem == null) {
                problem = "the client exited with code " + code + " and wrote no report to " + reportFile;
            }
        } catch (IOException e) {
            problem = "cannot read the client's report " + reportFile + ": " + e.getMessage();
        }
        return new Result(code, report, problem, problem == null ? "" : output.tail());
    }

    /** Stops a client that is still running (a failed run). */
    public void kill() throws InterruptedException {
        if (process.isAlive()) {
            ChildProcesses.stop(process, 2000);
        }
    }

    @Override
    public String toString() {
        return String.join(" ", command);
    }

    /**
     * How a client run ended.
     *
     * @param exitCode   0 = every reply right, 1 = some lost or wrong, anything else = the client failed
     * @param report     the parsed report, or null when there is none
     * @param problem    why there is no usable report, or null
     * @param outputTail the client's last lines when there was a problem
     */
    public record Result(int exitCode, ClientReport report, String problem, String outputTail) {
        public boolean hasReport() {
            return report != null;
        }
    }
}
