package io.courier.server.service;

import io.courier.server.support.JarProcess;
import io.courier.server.support.ChannelClient;
import io.courier.protocol.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The packaged server's logging: --log-dir, --log-level, UTF-8 text intact, each line once per destination. */
@Timeout(90)
class ServiceLoggingIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String CHINESE = "\u4f60\u597d\u4e16\u754c"; // 你好世界
    /** A locale without UTF-8: the log files must not depend on the platform charset. */
    private static final Map<String, String> ASCII_LOCALE = Map.of("LC_ALL", "C", "LANG", "C");

    @Test
    void chineseTypeIsLoggedIntactExactlyOnceInTheFileAndOnTheConsole(@TempDir Path logs) throws Exception {
        Path logFile = logs.resolve("courier.log");
        try (JarProcess jar = JarProcess.start(ASCII_LOCALE, "--port", "0", "--log-dir", logs.toString(),
                "--log-level", "debug")) {
            int port = jar.awaitListeningPort();
            try (ChannelClient client = ChannelClient.connect(new InetSocketAddress("127.0.0.1", port))) {
                Message reply = client.callText("{\"type\":\"" + CHINESE + "\",\"id\":1}\n");
                assertEquals("unknown_type", reply.errorCode());
                assertEquals(CHINESE, reply.type(), "the reply carries the request's type intact");
                assertTrue(reply.errorMessage().contains("'" + CHINESE + "'"), reply.errorMessage());
            }
            await().atMost(WAIT).until(() -> Files.exists(logFile)
                    && Files.readString(logFile, StandardCharsets.UTF_8).contains(CHINESE));

            jar.process().destroy();
            assertEquals(0, jar.awaitExit(WAIT), jar.describe());

            String file = Files.readString(logFile, StandardCharsets.UTF_8); // fails on malformed UTF-8
            assertEquals(1, occurrences(file, CHINESE), "once in the file:\n" + file);
            assertEquals(1, occurrences(jar.stdout(), CHINESE), "once on the console:\n" + jar.stdout());
            String line = file.lines().filter(l -> l.contains(CHINESE)).findFirst().orElseThrow();
            assertTrue(line.contains(" DEBUG ") && line.contains("error reply unknown_type"), line);
            assertFalse(file.contains("\ufffd"), "no replacement characters");

            // Each line once per destination: the file and the console carry the same lines.
            assertEquals(1, occurrences(file, "Listening on"), file);
            assertEquals(1, occurrences(jar.stdout(), "Listening on"), jar.stdout());
            // (The last line, "Stopped", may be cut off by Main's System.exit on either side: left out.)
            assertEquals(file.lines().filter(l -> !l.contains(" - Stopped")).count(),
                    jar.stdout().lines().filter(l -> !l.contains(" - Stopped")).count(),
                    "console:\n" + jar.stdout() + "\nfile:\n" + file);
        }
    }

    @Test
    void atInfoLevelTheDebugLineIsLeftOutAndWithoutLogDirNoFileIsWritten() throws Exception {
        try (JarProcess jar = JarProcess.start(ASCII_LOCALE, "--port", "0", "--log-level", "info",
                "--connection-log", "info")) {
            int port = jar.awaitListeningPort();
            try (ChannelClient client = ChannelClient.connect(new InetSocketAddress("127.0.0.1", port))) {
                assertEquals("unknown_type", client.callText("{\"type\":\"" + CHINESE + "\"}").errorCode());
            }
            jar.awaitStdout(Pattern.compile("disconnected \\(client closed\\)"), WAIT);
            jar.process().destroy();
            assertEquals(0, jar.awaitExit(WAIT), jar.describe());
            assertFalse(jar.stdout().contains(CHINESE), jar.stdout());
            assertFalse(jar.stdout().contains("DEBUG"), jar.stdout());
            assertTrue(jar.stdout().contains("SIGTERM received"), jar.stdout());
        }
        assertFalse(Files.exists(Path.of("courier.log")), "no log file in the server's working directory");
    }

    private static int occurrences(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
            count++;
        }
        return count;
    }
}
