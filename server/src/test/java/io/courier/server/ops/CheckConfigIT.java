package io.courier.server.ops;

import io.courier.server.support.JarProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --check-config}: what a start would find wrong, one line each, exit 2; or exit 0; never serving. */
@Timeout(120)
class CheckConfigIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void aGoodConfigurationExitsZeroAndChangesNothing(@TempDir Path dir) throws Exception {
        Path logs = dir.resolve("logs");
        try (JarProcess jar = JarProcess.start("--check-config", "--port", "0", "--log-dir", logs.toString(),
                "--metrics-port", "0")) {
            assertEquals(0, jar.awaitExit(WAIT), jar.describe());
            assertEquals("courier: configuration OK: would listen on tcp:127.0.0.1:0, metrics on 127.0.0.1:0, log "
                    + "in " + logs, jar.stdout());
            assertEquals("", jar.stderr());
        }
        assertFalse(Files.exists(logs), "a check makes no directories");
    }

    @Test
    void everyProblemIsOneLineAndTheExitCodeIs2(@TempDir Path dir) throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        brokenPluginJar(plugins.resolve("broken.jar"));
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             ServerSocket takenToo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            int metricsPort = takenToo.getLocalPort();
            try (JarProcess jar = JarProcess.start("--check-config", "--port", String.valueOf(port),
                    "--metrics-port", String.valueOf(metricsPort), "--files-dir", "/sys/kernel", "--plugins",
                    plugins.toString())) {
                assertEquals(2, jar.awaitExit(WAIT), jar.describe());
                List<String> lines = jar.stderr().lines().toList();
                assertEquals(4, lines.size(), jar.describe());
                assertTrue(lines.get(0).startsWith("courier: --files-dir /sys/kernel is not writable: "), lines.get(0));
                assertEquals("courier: tcp:127.0.0.1:" + port + ": cannot bind 127.0.0.1:" + port
                        + ": Address already in use", lines.get(1));
                assertEquals("courier: --metrics-port " + metricsPort + ": cannot bind 127.0.0.1:" + metricsPort
                        + ": Address already in use", lines.get(2));
                assertTrue(lines.get(3).startsWith("courier: cannot load a plugin handler: "), lines.get(3));
                assertTrue(lines.get(3).contains("no.such.Handler"), lines.get(3));
                assertEquals("", jar.stdout(), "nothing served, nothing logged");
            }
        }
    }

    /** A plugin jar whose service file names a class it does not contain. */
    private static void brokenPluginJar(Path jar) throws Exception {
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            out.putNextEntry(new JarEntry("META-INF/services/io.courier.server.api.Handler"));
            out.write("no.such.Handler\n".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
    }
}
