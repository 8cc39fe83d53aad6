package io.courier.server.cluster;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * A real Redis for the cluster tests, on 127.0.0.1 and a free port, without persistence: {@code redis-server} from
 * the PATH, or else the binary the {@code embedded-redis} test dependency ships (Redis 6.2), so a machine with
 * only a JDK and Maven runs these tests too. {@code -Dcourier.test.redis=embedded} uses the shipped one even when
 * the PATH has one (to test that path); {@code =path} insists on the PATH's. When neither can run, the test
 * fails, saying why: it never passes without a Redis.
 */
final class RedisProcess implements AutoCloseable {
    private static Path shippedCopy;

    private final Path binary;
    private final Path dir;
    private final int port;
    private Process process;

    private RedisProcess(Path binary, Path dir, int port) {
        this.binary = binary;
        this.dir = dir;
        this.port = port;
    }

    /** Starts a new Redis on a free port and waits until it answers. */
    static RedisProcess start() throws IOException {
        RedisProcess redis = new RedisProcess(binary(), Files.createTempDirectory("courier-redis-"), freePort());
        redis.restart();
        return redis;
    }

    URI uri() {
        return URI.create("redis://127.0.0.1:" + port);
    }

    int port() {
        return port;
    }

    /** (Re)starts Redis on the same port, empty, and waits until it answers PING. */
    void restart() throws IOException {
        ProcessBuilder builder = new ProcessBuilder(binary.toString(), "--port", String.valueOf(port), "--bind",
                "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "no", "--dir", dir.toString(),
                "--logfile", dir.resolve("redis.log").toString());
        builder.redirectErrorStream(true).redirectOutput(dir.resolve("redis.out").toFile());
        process = builder.start();
        await("Redis " + binary + " answering on port " + port).atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(20))
                .failFast("redis-server exited: " + log(), () -> !process.isAlive())
                .until(this::answers);
    }

    /** Kills Redis (SIGKILL): every connection to it drops, and everything it held is gone. */
    void kill() throws InterruptedException {
        if (process != null && process.isAlive()) {
            try {
                resume(); // a paused Redis would not die of SIGKILL until continued on some systems
            } catch (IOException | AssertionError ignored) {
                // killing it anyway
            }
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Freezes Redis (SIGSTOP): connections stay open, nothing is answered, as with a hung server. */
    void pause() throws IOException, InterruptedException {
        signal("-STOP");
    }

    /** Thaws a paused Redis (SIGCONT). */
    void resume() throws IOException, InterruptedException {
        signal("-CONT");
    }

    private void signal(String which) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", which, String.valueOf(process.pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new AssertionError("kill " + which + " " + process.pid() + " failed");
        }
    }

    private boolean answers() {
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

    private String log() {
        try {
            return Files.readString(dir.resolve("redis.out"));
        } catch (IOException e) {
            return "(no output)";
        }
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** The redis-server to run, as the class comment says. */
    static synchronized Path binary() {
        String choice = System.getProperty("courier.test.redis", "");
        if (!choice.equals("embedded")) {
            Path onPath = onPath();
            if (onPath != null) {
                return onPath;
            }
            if (choice.equals("path")) {
                throw new AssertionError("-Dcourier.test.redis=path, but there is no redis-server on the PATH");
            }
        }
        return shipped();
    }

    private static Path onPath() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "redis-server");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** The binary inside the embedded-redis jar, copied out to target/ once and made executable. */
    private static Path shipped() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        boolean x64 = arch.equals("amd64") || arch.equals("x86_64");
        boolean arm = arch.equals("aarch64") || arch.equals("arm64");
        List<String> names = os.contains("linux") && x64 ? List.of("redis-server-6.2.6-v5-linux-amd64")
                : os.contains("linux") && arm ? List.of("redis-server-6.2.7-linux-arm64")
                : os.contains("mac") && x64 ? List.of("redis-server-6.2.6-v5-darwin-amd64")
                : os.contains("mac") && arm ? List.of("redis-server-6.2.6-v5-darwin-arm64") : List.of();
        for (String name : names) {
            try (InputStream in = RedisProcess.class.getResourceAsStream("/" + name)) {
                if (in == null) {
                    continue;
                }
                if (shippedCopy != null) {
                    return shippedCopy;
                }
                Path target = Path.of("target", "redis", name).toAbsolutePath();
                Files.createDirectories(target.getParent());
                // A new file moved into place: a Redis still running from an earlier copy keeps its own.
                Path fresh = Files.createTempFile(target.getParent(), name, ".tmp");
                Files.copy(in, fresh, StandardCopyOption.REPLACE_EXISTING);
                if (!fresh.toFile().setExecutable(true)) {
                    throw new AssertionError("cannot make " + fresh + " executable");
                }
                Files.move(fresh, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                shippedCopy = target;
                return target;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new AssertionError("the cluster tests need a real Redis: no redis-server on the PATH, and the "
                + "embedded-redis test dependency ships none for " + os + "/" + arch + "; install redis-server "
                + "(e.g. apt-get install redis-server)");
    }
}
