package io.courier.server.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.awaitility.Awaitility.await;

/** The server's {@code --port-file}: {@code KIND ADDRESS} lines, written once everything is bound. */
final class PortFiles {
    private PortFiles() {
    }

    /** Waits for the file (failing fast once {@code exited} says the server is gone) and reads it by kind. */
    static Map<String, List<String>> read(Path file, BooleanSupplier exited, String describe) {
        await("port file " + file).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                .failFast("the server exited before writing its port file: " + describe, exited::getAsBoolean)
                .until(() -> Files.exists(file));
        Map<String, List<String>> byKind = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                int space = line.indexOf(' ');
                byKind.computeIfAbsent(line.substring(0, space), kind -> new ArrayList<>())
                        .add(line.substring(space + 1));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return byKind;
    }

    /** {@code 127.0.0.1:41235} to its port. */
    static int port(String hostPort) {
        return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
    }
}
