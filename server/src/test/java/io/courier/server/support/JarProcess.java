package io.courier.server.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;


import static org.awaitility.Awaitility.await;

/**
 * The packaged server ({@code java -jar target/server.jar}) as a child process, for the *IT tests. Its stdout and
 * stderr go to files (read as UTF-8 whenever a test looks), not pipes: a pipe read by a thread can lose the last
 * lines with "Stream closed" when the process exits. {@link #close()} kills the process if it is still running,
 * so a failing test never leaves a server behind.
 */
public final class JarProcess implements AutoCloseable {
    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

    private final Process process;
    private final Path stdoutFile;
    private final Path stderrFile;
    private final Path portFile;

    private JarProcess(Process process, Path stdoutFile, Path stderrFile, Path portFile) {
        this.process = process;
        this.stdoutFile = stdoutFile;
        this.stderrFile = stderrFile;
        this.portFile = portFile;
    }

    /** The jar under test: {@code server/target/server.jar}, built by the package phase before failsafe runs. */
    public static Path jar() {
        Path jar = Path.of("target", "server.jar").toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run the *IT tests with mvn verify (after package)");
        }
        return jar;
    }

    /** Starts the jar with {@code args}; the environment is this one without COURIER_* plus {@code env}. */
    public static JarProcess start(Map<String, String> env, String... args) throws IOException {
        return start(List.of("-Xmx256m"), env, args);
    }

    /** As {@link #start(Map, String...)}, with {@code jvmOptions} (a heap size, say) before {@code -jar}. */
    public static JarProcess start(List<String> jvmOptions, Map<String, String> env, String... args)
            throws IOException {
        return start(null, jvmOptions, jar(), env, args);
    }

    /**
     * Starts {@code jar} (an installed copy, say) as a service manager would: in {@code workingDirectory} (null:
     * this one), with {@code jvmOptions}; otherwise as {@link #start(Map, String...)}.
     */
    public static JarProcess start(Path workingDirectory, List<String> jvmOptions, Path jar, Map<String, String> env,
                                   String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-XX:TieredStopAtLevel=1"); // starts faster; these tests measure behaviour, not speed
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(List.of(args));
        Path portFile = PortFiles.newPortFile();
        if (args.length == 0 || !args[0].equals("token")) {
            command.add("--port-file");
            command.add(portFile.toString());
        }
        ProcessBuilder builder = new ProcessBuilder(command);
        if (workingDirectory != null) {
            builder.directory(workingDirectory.toFile());
        }
        builder.environment().keySet().removeIf(name -> name.startsWith("COURIER_"));
        builder.environment().putAll(env);
        Path stdoutFile = Files.createTempFile("courier-it-", ".out");
        Path stderrFile = Files.createTempFile("courier-it-", ".err");
        builder.redirectOutput(stdoutFile.toFile()).redirectError(stderrFile.toFile());
        return new JarProcess(builder.start(), stdoutFile, stderrFile, portFile);
    }

    public static JarProcess start(String... args) throws IOException {
        return start(Map.of(), args);
    }

    public Process process() {
        return process;
    }

    public long pid() {
        return process.pid();
    }

    /** Waits for the first stdout line matching {@code pattern} and returns its first group (or the whole line). */
    public String awaitStdout(Pattern pattern, Duration timeout) {
        String[] found = new String[1];
        await("stdout line matching " + pattern).atMost(timeout).pollInterval(Duration.ofMillis(20))
                .failFast("the server exited early: " + describe(), () -> !process.isAlive() && !matches(pattern, found))
                .until(() -> matches(pattern, found));
        return found[0];
    }

    /** The port of the server's first TCP listener, from its {@code --port-file}. */
    public int awaitListeningPort() {
        return PortFiles.awaitTcpPort(portFile, process, Duration.ofSeconds(20));
    }

    /** The address of the server's first listener of {@code kind} (tcp, udp, unix, metrics), from its port file. */
    public String awaitAddress(String kind) {
        for (String line : PortFiles.awaitLines(portFile, process, Duration.ofSeconds(20))) {
            if (line.startsWith(kind + " ")) {
                return line.substring(kind.length() + 1);
            }
        }
        throw new AssertionError("no " + kind + " listener in " + portFile + "; " + describe());
    }

    private boolean matches(Pattern pattern, String[] found) {
        for (String line : stdout().split("\n")) {
            Matcher matcher = pattern.matcher(line);
            if (matcher.find()) {
                found[0] = matcher.groupCount() > 0 ? matcher.group(1) : line;
                return true;
            }
        }
        return false;
    }

    /** Waits for the process to end and returns its exit code; fails if it is still running after {@code timeout}. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the server did not exit within " + timeout + "; " + describe());
        }
        return process.exitValue();
    }

    /** Everything the process wrote to stdout so far, as UTF-8, without the last line's newline. */
    public String stdout() {
        return read(stdoutFile);
    }

    public String stderr() {
        return read(stderrFile);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).stripTrailing();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The process's open file descriptors: the entries of {@code /proc/PID/fd} (Linux). */
    public long openDescriptors() throws IOException {
        try (Stream<Path> descriptors = Files.list(Path.of("/proc", Long.toString(pid()), "fd"))) {
            return descriptors.count();
        }
    }

    /**
     * Heap bytes in use right after a full collection, asked of the running JVM with {@code jcmd PID GC.run} then
     * {@code jcmd PID GC.heap_info}: the sum of every heap space's "used" (one line for G1, young plus old for the
     * serial and parallel collectors), without Metaspace.
     */
    public long heapUsedAfterGc() throws IOException, InterruptedException {
        jcmd("GC.run");
        String info = jcmd("GC.heap_info");
        long usedKib = 0;
        boolean found = false;
        for (String line : info.split("\n")) {
            Matcher used = HEAP_USED.matcher(line);
            if (used.find() && !line.contains("Metaspace") && !line.contains("class space")) {
                usedKib += Long.parseLong(used.group(1));
                found = true;
            }
        }
        if (!found) {
            throw new AssertionError("no heap use in the output of jcmd GC.heap_info:\n" + info);
        }
        return usedKib * 1024;
    }

    private String jcmd(String command) throws IOException, InterruptedException {
        Path jdkJcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        String executable = Files.isExecutable(jdkJcmd) ? jdkJcmd.toString() : "jcmd";
        Process jcmd = new ProcessBuilder(executable, Long.toString(pid()), command).redirectErrorStream(true).start();
        String output = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!jcmd.waitFor(60, TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
            jcmd.destroyForcibly();
            throw new AssertionError("jcmd " + command + " failed:\n" + output);
        }
        return output;
    }

    public String describe() {
        return "stdout:\n" + stdout() + "\nstderr:\n" + stderr();
    }

    @Override
    public void close() throws InterruptedException, IOException {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
        process.waitFor(10, TimeUnit.SECONDS);
        Files.deleteIfExists(stdoutFile);
        Files.deleteIfExists(stderrFile);
    }
}
