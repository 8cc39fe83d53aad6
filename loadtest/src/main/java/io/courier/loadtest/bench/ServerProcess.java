package io.courier.loadtest.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server under test in its own JVM. It is started with {@code --port 0} and its port is learnt from the
 * {@code Listening on /127.0.0.1:PORT} line it prints; everything it prints goes to a log file.
 */
public final class ServerProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("Listening on \\S*?:(\\d{1,5})\\b");

    /**
     * Courier logs its "Listening on" line at INFO on {@code io.courier.server.Server}; at {@code --log-level warn}
     * it would be hidden. This logback configuration keeps that one logger at INFO (it logs only start and stop) and
     * everything else, per-connection lines included, at the level the command line asks for.
     */
    private static final String COURIER_LOGBACK = String.join("\n",
            "<configuration>",
            "  <statusListener class=\"ch.qos.logback.core.status.NopStatusListener\"/>",
            "  <appender name=\"CONSOLE\" class=\"ch.qos.logback.core.ConsoleAppender\">",
            "    <encoder><charset>UTF-8</charset><pattern>%-5level %logger{1} - %msg%n</pattern></encoder>",
            "  </appender>",
            "  <logger name=\"io.courier.server.Server\" level=\"INFO\"/>",
            "  <root level=\"${courier.log.level:-WARN}\"><appender-ref ref=\"CONSOLE\"/></root>",
            "</configuration>", "");

    private final ServerKind kind;
    private final Process process;
    private final ProcessOutput output;
    private final int port;

    private ServerProcess(ServerKind kind, Process process, ProcessOutput output, int port) {
        this.kind = kind;
        this.process = process;
        this.output = output;
        this.port = port;
    }

    /** The port in a {@code Listening on HOST:PORT} line, if the line is one. */
    public static OptionalInt listeningPort(String line) {
        Matcher matcher = LISTENING.matcher(line);
        return matcher.find() ? OptionalInt.of(Integer.parseInt(matcher.group(1))) : OptionalInt.empty();
    }

    /**
     * The command line for a server: {@code [taskset -c CPUS] java FLAGS [-Dlogback...] -cp CLASSPATH MAIN ARGS}.
     *
     * @param workDir where the courier logging configuration is written
     */
    public static List<String> command(ServerKind kind, BenchConfig config, String classpath, Path workDir)
            throws IOException {
        List<String> command = new ArrayList<>(config.pinning(config.serverCpus()));
        command.add(config.java().toString());
        command.addAll(config.serverJvm());
        command.addAll(kind.jvmOptions());
        if (kind == ServerKind.COURIER) {
            command.add("-Dlogback.configurationFile=" + courierLogback(workDir).toAbsolutePath());
        }
        command.add("-cp");
        command.add(classpath);
        command.addAll(kind.mainAndArguments());
        return command;
    }

    /**
     * Writes {@code courier-logback.xml} into {@code workDir}: Courier's "Listening on" line at INFO, everything else
     * at the level {@code --log-level} sets. Point {@code -Dlogback.configurationFile} at the returned file.
     */
    public static Path courierLogback(Path workDir) throws IOException {
        Path logback = workDir.resolve("courier-logback.xml");
        Files.createDirectories(workDir);
        Files.writeString(logback, COURIER_LOGBACK, StandardCharsets.UTF_8);
        return logback;
    }

    /** Starts the server and waits until it says where it listens. */
    public static ServerProcess start(ServerKind kind, List<String> command, Path log, Duration startTimeout)
            throws IOException, InterruptedException {
        CompletableFuture<Integer> listening = new CompletableFuture<>();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        ChildProcesses.register(process);
        ProcessOutput output;
        try {
            output = ProcessOutput.start(process.getInputStream(), log, "bench-" + kind.label() + "-output",
                    line -> listeningPort(line).ifPresent(listening::complete));
        } catch (IOException | RuntimeException e) {
            ChildProcesses.stop(process, 0);
            throw e;
        }
        process.onExit().thenRun(() -> listening.completeExceptionally(
                new IOException(kind.label() + " exited with code " + process.exitValue() + " before listening")));
        try {
            int port = listening.get(startTimeout.toMillis(), TimeUnit.MILLISECONDS);
            return new ServerProcess(kind, process, output, port);
        } catch (ExecutionException | TimeoutException e) {
            ChildProcesses.stop(process, 2000);
            output.awaitEnd(2000);
            String why = e instanceof TimeoutException ? "did not print 'Listening on' within " + startTimeout
                    : e.getCause().getMessage();
            throw new IOException(kind.label() + " server " + why + "; command: " + String.join(" ", command)
                    + "\nlast output:\n" + output.tail());
        }
    }

    public ServerKind kind() {
        return kind;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The last lines the server printed. */
    public String outputTail() {
        return output.tail();
    }

    /** Stops the server (SIGTERM, then SIGKILL after 15 s) and returns its exit code. */
    public int stop() throws InterruptedException {
        int code = ChildProcesses.stop(process, 15_000);
        output.awaitEnd(2000);
        return code;
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
