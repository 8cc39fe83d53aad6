package io.courier.bench.cluster;

import io.courier.bench.BenchConfig;
import io.courier.harness.ChildProcesses;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The Redis the cluster scenarios' Courier instances share: {@code redis-server} from the PATH on 127.0.0.1 and a
 * free port, without persistence, pinned to the servers' CPUs (it is server-side work), its output in the run's
 * log directory. The bench has no embedded Redis (the server's cluster tests do, as a test dependency): without
 * redis-server the cluster scenario fails at start, saying so.
 */
public final class RedisServer implements AutoCloseable {
    private static final long POLL_MILLIS = 20;

    private final Process process;
    private final int port;

    private RedisServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts Redis and waits until it answers PING. */
    public static RedisServer start(BenchConfig config, Path log, Duration timeout)
            throws IOException, InterruptedException {
        Path binary = onPath().orElseThrow(() -> new IOException("the cluster scenarios need redis-server on the "
                + "PATH (apt-get install redis-server)"));
        int port = FreePorts.one();
        List<String> command = new ArrayList<>(config.pinning(config.serverCpus()));
        command.addAll(List.of(binary.toString(), "--port", String.valueOf(port), "--bind", "127.0.0.1", "--save",
                "", "--appendonly", "no", "--protected-mode", "no", "--dir",
                log.toAbsolutePath().getParent().toString()));
        Files.createDirectories(log.toAbsolutePath().getParent());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        ChildProcesses.register(process);
        RedisServer redis = new RedisServer(process, port);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!redis.answers()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                redis.close();
                throw new IOException("redis-server did not answer on port " + port + " within " + timeout
                        + "; see " + log);
            }
            Thread.sleep(POLL_MILLIS); // a process starting: nothing to wait on but its port
        }
        return redis;
    }

    /** {@code redis://127.0.0.1:PORT}, for {@code --cluster}. */
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    boolean answers() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            socket.setSoTimeout(1000);
            socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] reply = new byte[7];
            int n = socket.getInputStream().read(reply);
            return n > 0 && new String(reply, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        ChildProcesses.stop(process, 2000);
        ChildProcesses.unregister(process);
    }

    /** redis-server on the PATH, if any. */
    public static java.util.Optional<Path> onPath() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "redis-server");
            if (Files.isExecutable(candidate)) {
                return java.util.Optional.of(candidate);
            }
        }
        return java.util.Optional.empty();
    }
}
