package io.courier.bench;

import io.courier.harness.ChildProcesses;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Redis or NATS from the OS packages, for one run: started on a free loopback port, pinned like the JVM servers,
 * ready once it accepts a connection, stopped (SIGTERM, then SIGKILL) on close. Neither writes a port file, so the
 * port is chosen here: bound and released just before the start (a race with another program is possible but
 * shows as a start failure, not as a wrong figure).
 */
final class NativeServer implements AutoCloseable {
    private static final long POLL_MILLIS = 50;

    private final ServerKind kind;
    private final Process process;
    private final int port;

    private NativeServer(ServerKind kind, Process process, int port) {
        this.kind = kind;
        this.process = process;
        this.port = port;
    }

    /** The program's path when it is installed, looked for on PATH and in the usual system directories. */
    static Optional<Path> find(ServerKind kind) {
        Set<String> dirs = new LinkedHashSet<>();
        String path = System.getenv("PATH");
        if (path != null) {
            dirs.addAll(List.of(path.split(File.pathSeparator)));
        }
        dirs.addAll(List.of("/usr/local/bin", "/usr/bin", "/usr/sbin", "/usr/local/sbin", "/bin", "/sbin"));
        for (String dir : dirs) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, kind.program());
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Why {@code kind} cannot run here, in words, or empty when it is installed. */
    static Optional<String> missing(ServerKind kind) {
        if (!kind.isNative() || find(kind).isPresent()) {
            return Optional.empty();
        }
        return Optional.of("missing: " + kind.program() + " is not installed (apt-get install " + kind.program()
                + "); not measured");
    }

    /** The command line for port {@code port}: loopback only, and Redis without persistence. */
    static List<String> command(BenchConfig config, ServerKind kind, Path program, int port) {
        List<String> command = new ArrayList<>(config.pinning(config.serverCpus()));
        command.add(program.toString());
        if (kind == ServerKind.REDIS) {
            command.addAll(List.of("--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "",
                    "--appendonly", "no"));
        } else if (kind == ServerKind.NATS) {
            command.addAll(List.of("-a", "127.0.0.1", "-p", Integer.toString(port)));
        } else {
            throw new IllegalArgumentException(kind + " is no native server");
        }
        return command;
    }

    static NativeServer start(BenchConfig config, ServerKind kind, Path log, Duration timeout)
            throws IOException, InterruptedException {
        Path program = find(kind).orElseThrow(() -> new IOException(missing(kind).orElse(kind + " not found")));
        int port = freePort();
        Files.createDirectories(log.toAbsolutePath().getParent());
        Process process = new ProcessBuilder(command(config, kind, program, port)).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        ChildProcesses.register(process);
        NativeServer server = new NativeServer(kind, process, port);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!server.accepts()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                server.close();
                throw new IOException(kind.program() + " did not accept connections on 127.0.0.1:" + port
                        + " within " + timeout + "; see " + log);
            }
            // Polling a child process's socket: there is nothing to wait on but time.
            TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
        }
        return server;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private boolean accepts() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        ChildProcesses.stop(process, 5000);
        ChildProcesses.unregister(process);
    }

    @Override
    public String toString() {
        return kind.label() + " on 127.0.0.1:" + port;
    }
}
