package io.courier.server.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.awaitility.Awaitility.await;

/**
 * How every launcher in the tests learns where a server child process listens: it starts the jar with
 * {@code --port-file FILE} and waits for that file (written atomically once every listener is bound: one
 * {@code KIND ADDRESS} line each), instead of reading log lines.
 */
public final class PortFiles {
    private PortFiles() {
    }

    /** A path for the server to write its port file to (the file itself does not exist yet). */
    public static Path newPortFile() {
        try {
            Path dir = Files.createTempDirectory("courier-ports-");
            dir.toFile().deleteOnExit();
            return dir.resolve("ports");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for the port file of {@code process}, failing fast if it exits first; returns its lines. */
    public static List<String> awaitLines(Path file, Process process, Duration timeout) {
        await("the port file " + file).atMost(timeout).pollInterval(Duration.ofMillis(20))
                .failFast("the server exited before listening", () -> !process.isAlive() && !Files.exists(file))
                .until(() -> Files.exists(file));
        try {
            return new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The port of the first {@code tcp} listener in the port file of {@code process}. */
    public static int awaitTcpPort(Path file, Process process, Duration timeout) {
        for (String line : awaitLines(file, process, timeout)) {
            if (line.startsWith("tcp ")) {
                return Integer.parseInt(line.substring(line.lastIndexOf(':') + 1));
            }
        }
        throw new AssertionError("no tcp listener in " + file);
    }
}
