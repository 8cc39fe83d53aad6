package io.courier.server.ops;

import io.courier.protocol.Message;
import io.courier.protocol.client.MessageClient;
import io.courier.server.support.JarProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.time.Duration;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * --connection-log: by default the per-connection lines are DEBUG, so a busy server's INFO log holds the start-up,
 * shutdown and error lines only; {@code info} brings them back, {@code off} silences them even at DEBUG.
 */
@Timeout(120)
class ConnectionLogIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String LINE = "(?s).* ";
    private static final String CONNECTION = "\\[courier-loop] \\S*Connection - #1 from [^\\n]* ";

    @Test
    void byDefaultConnectionLinesStayOutOfTheInfoLog() throws Exception {
        String out = serveOneClient();
        assertFalse(out.contains("connected on"), out);
        assertFalse(out.contains("disconnected"), out);
        assertTrue(out.contains("Listening on") && out.contains("SIGTERM received"), "start-up and shutdown: " + out);
    }

    @Test
    void infoLogsThemAtInfo() throws Exception {
        String out = serveOneClient("--connection-log", "info");
        assertTrue(out.matches(LINE + "INFO  " + CONNECTION + "connected on .*"), out);
        assertTrue(out.matches(LINE + "INFO  " + CONNECTION + "disconnected \\(client closed\\).*"), out);
    }

    @Test
    void debugLogsThemAtDebugAndOffNotAtAll() throws Exception {
        String debug = serveOneClient("--log-level", "debug");
        assertTrue(debug.matches(LINE + "DEBUG " + CONNECTION + "connected on .*"), debug);
        String off = serveOneClient("--log-level", "debug", "--connection-log", "off");
        assertFalse(off.contains("connected on"), off);
        assertFalse(off.contains("disconnected ("), off);
    }

    /** Starts the jar, connects one client that pings and leaves, stops the server; returns its console log. */
    private static String serveOneClient(String... extra) throws Exception {
        String[] args = new String[extra.length + 2];
        args[0] = "--port";
        args[1] = "0";
        System.arraycopy(extra, 0, args, 2, extra.length);
        try (JarProcess jar = JarProcess.start(args)) {
            int port = jar.awaitListeningPort();
            try (MessageClient client = MessageClient.connect(new InetSocketAddress("127.0.0.1", port))) {
                assertTrue(client.call(Message.of("ping"), Duration.ofSeconds(10)).isOk());
            }
            // The close is logged (or not) right after the client leaves; the stats see it first.
            try (MessageClient probe = MessageClient.connect(new InetSocketAddress("127.0.0.1", port))) {
                await().atMost(WAIT).until(() -> probe.call(Message.of("stats"), Duration.ofSeconds(10)).header()
                        .path("closes").path("client_closed").asLong() == 1);
            }
            jar.process().destroy();
            assertEquals(0, jar.awaitExit(WAIT), jar.describe());
            return jar.stdout();
        }
    }
}
