package io.courier.server.ops;

import io.courier.server.support.JarProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every way a start can fail ends in one sentence with its cause, and exit code 2 for the configuration or 1 for
 * the machine (a port someone else holds): the operating system's reason for a file, the line and column of
 * broken JSON, no library internals, no "null", no stack trace. {@code /sys} stands for a directory nobody may
 * write to: it refuses even root.
 */
@Timeout(180)
class StartupProblemsIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String NOT_WRITABLE = "(Permission denied|Operation not permitted|Read-only file system)";

    @Test
    void configFileProblemsSayTheOsReasonOrWhereTheJsonBreaks(@TempDir Path dir) throws Exception {
        refused(2, "courier: cannot read config file /nonexistent/server.json: No such file or directory",
                "--config", "/nonexistent/server.json");
        refused(2, "courier: cannot read config file " + dir + ": Is a directory", "--config", dir.toString());
        Path broken = Files.writeString(dir.resolve("broken.json"), "{\"port\": 0,\n  \"max-connections\": }\n");
        String sentence = refused(2, null, "--config", broken.toString());
        assertTrue(sentence.startsWith("courier: config file " + broken + " is not valid JSON at line 2, column "),
                sentence);
        assertTrue(sentence.contains("Unexpected character ('}'"), sentence);
    }

    @Test
    void wrongValuesAreOneSentenceWithExit2() throws Exception {
        refused(2, "courier: --listen address 'foo:1:2' has a colon in its host 'foo:1': write an IPv6 address in "
                + "brackets, as in [::1]:6666", "--listen", "foo:1:2");
        refused(2, "courier: --connection-log must be info, debug or off, got 'loud'", "--connection-log", "loud");
        refused(2, "courier: --loop-stall-timeout must be more than 0, got 0", "--loop-stall-timeout", "0");
        refused(2, "courier: listen address unix:/nonexistent-dir/courier.sock: directory /nonexistent-dir does not "
                + "exist (under systemd, RuntimeDirectory= makes /run/courier)", "--listen",
                "unix:/nonexistent-dir/courier.sock");
    }

    @Test
    void directoriesTheServerWritesAreCheckedAtStart(@TempDir Path dir) throws Exception {
        String logDir = refused(2, null, "--port", "0", "--log-dir", "/sys/courier-logs");
        assertTrue(logDir.matches("courier: --log-dir /sys/courier-logs does not exist and cannot be created: "
                + NOT_WRITABLE), logDir);
        String filesDir = refused(2, null, "--port", "0", "--files-dir", "/sys/kernel");
        assertTrue(filesDir.matches("courier: --files-dir /sys/kernel is not writable: " + NOT_WRITABLE), filesDir);
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        refused(2, "courier: --files-dir " + file.resolve("files") + " cannot be created: " + file
                + " is not a directory", "--port", "0", "--files-dir", file.resolve("files").toString());

        // A missing log directory is made, as Logback would; a missing files directory waits for the first upload.
        Path logs = dir.resolve("new/logs");
        Path files = dir.resolve("new/files");
        try (JarProcess jar = JarProcess.start("--port", "0", "--log-dir", logs.toString(), "--files-dir",
                files.toString())) {
            jar.awaitListeningPort();
            assertTrue(Files.isDirectory(logs));
            assertFalse(Files.exists(files), "made on the first upload, as documented");
            jar.process().destroy();
            assertEquals(0, jar.awaitExit(WAIT), jar.describe());
        }
    }

    @Test
    void aPortSomeoneElseHoldsIsExit1ForSystemdToRetry() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            try (JarProcess jar = JarProcess.start("--port", String.valueOf(port))) {
                assertEquals(1, jar.awaitExit(WAIT), jar.describe());
                assertTrue(Pattern.compile("ERROR \\[main] \\S*Main - Cannot start: cannot listen on "
                        + "tcp:127\\.0\\.0\\.1:" + port + ": Address already in use\\s*$").matcher(jar.stdout()).find(),
                        jar.describe());
                clean(jar);
            }
            try (JarProcess jar = JarProcess.start("--port", "0", "--metrics-port", String.valueOf(port))) {
                assertEquals(1, jar.awaitExit(WAIT), jar.describe());
                assertTrue(jar.stdout().contains("Cannot serve metrics on 127.0.0.1:" + port
                        + ": Address already in use"), jar.describe());
                clean(jar);
            }
        }
    }

    /** Runs the jar, expects {@code exit} and one line on stderr (equal to {@code expected} unless null). */
    private static String refused(int exit, String expected, String... args) throws Exception {
        try (JarProcess jar = JarProcess.start(args)) {
            assertEquals(exit, jar.awaitExit(WAIT), jar.describe());
            List<String> lines = jar.stderr().lines().toList();
            assertEquals(1, lines.size(), "one sentence: " + jar.describe());
            if (expected != null) {
                assertEquals(expected, lines.get(0));
            }
            clean(jar);
            return lines.get(0);
        }
    }

    /** No trace of the machinery: stack traces, Jackson's source excerpts, nulls. */
    private static void clean(JarProcess jar) {
        String all = jar.stdout() + "\n" + jar.stderr();
        String[] internals = {"Exception", "\tat ", "REDACTED", "Source:", "null", "StreamReadFeature"};
        for (String internal : internals) {
            assertFalse(all.contains(internal), "'" + internal + "' in:\n" + jar.describe());
        }
    }
}
