package io.courier.server.service;

import io.courier.server.support.JarProcess;
import io.courier.server.support.TestServers;
import io.courier.server.support.ChannelClient;
import com.fasterxml.jackson.databind.JsonNode;
import io.courier.protocol.Framing;
import io.courier.protocol.Message;
import io.courier.protocol.client.MessageClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Signals to the packaged server: SIGTERM drains and exits 0, a second signal exits at once; restarts. */
@Timeout(90)
class GracefulShutdownIT {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void sigtermTellsClientsDeliversRepliesAndExitsZero() throws Exception {
        try (JarProcess jar = JarProcess.start("--port", "0", "--drain-timeout", "3s", "--connection-log", "info")) {
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", jar.awaitListeningPort());
            try (MessageClient client = MessageClient.connect(address, Framing.BINARY, WAIT)) {
                assertTrue(client.call(Message.of("ping"), WAIT).isOk());

                long signalled = System.nanoTime();
                jar.process().destroy(); // SIGTERM
                Message notice = client.nextUnsolicited(WAIT);
                assertEquals("server.closing", notice == null ? null : notice.type(), String.valueOf(notice));
                assertEquals(3000, notice.header().get("drain_timeout_ms").asLong());
                await().atMost(WAIT).until(() -> !client.isOpen()); // then EOF

                assertEquals(0, jar.awaitExit(WAIT), jar.describe());
                assertTrue(System.nanoTime() - signalled < Duration.ofSeconds(10).toNanos(), "stopped promptly");
            }
            String out = jar.stdout();
            assertTrue(out.contains("SIGTERM received: stopping gracefully"), out);
            assertTrue(out.contains("disconnected (server shutdown)"), out);
            // No check for the final "Stopped" line: Main's System.exit can race the shutdown thread logging it.
        }
    }

    @Test
    void secondSigtermExitsAtOnceWhileTheDrainIsStuck() throws Exception {
        int bodyBytes = 1 << 20;
        // A long drain, and small socket buffers so unread replies stay in the server's queue, not the kernel's.
        try (JarProcess jar = JarProcess.start("--port", "0", "--drain-timeout", "60s", "--sndbuf", "64KiB");
             Socket stuck = new Socket()) {
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", jar.awaitListeningPort());
            stuck.setReceiveBufferSize(4096);
            stuck.connect(address, 10_000);
            Thread sender = new Thread(() -> {
                try {
                    OutputStream out = stuck.getOutputStream();
                    byte[] frame = UdpTransportTest.frame(Message.of("echo").withBody(new byte[bodyBytes]));
                    for (int i = 0; i < 4; i++) {
                        out.write(frame); // echoes of 1 MiB that this client never reads
                    }
                } catch (Exception e) {
                    // the server was killed: expected at the end of the test
                }
            }, "stuck-client-sender");
            sender.setDaemon(true);
            sender.start();

            try (MessageClient watcher = MessageClient.connect(address, Framing.BINARY, WAIT)) {
                AtomicInteger calls = new AtomicInteger();
                // Wait until the server has read (and so answered) at least one whole echo: 1 MiB is queued.
                await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
                    calls.incrementAndGet();
                    JsonNode stats = watcher.call(Message.of("stats"), WAIT).header();
                    return stats.path("bytes").path("in").asLong() > bodyBytes + 1024;
                });

                long firstSignal = System.nanoTime();
                jar.process().destroy(); // SIGTERM: the drain starts and cannot finish
                jar.awaitStdout(Pattern.compile("Shutting down: no new connections"), WAIT);
                assertTrue(jar.process().isAlive(), "still draining the client that does not read");

                jar.process().destroy(); // the second SIGTERM
                int exit = jar.awaitExit(WAIT);
                long tookMillis = (System.nanoTime() - firstSignal) / 1_000_000;
                assertNotEquals(0, exit, "exiting without draining is not a clean stop");
                assertTrue(tookMillis < 20_000, "exited long before the 60 s drain: " + tookMillis + " ms");
                assertTrue(jar.stdout().contains("Second SIGTERM: exiting now without draining"), jar.describe());
            }
        }
    }

    @Test
    void restartOnTheSameFixedPortRightAfterAStop() throws Exception {
        int port = TestServers.freePort();
        for (int round = 1; round <= 2; round++) {
            try (JarProcess jar = JarProcess.start("--port", String.valueOf(port), "--drain-timeout", "2s")) {
                assertEquals(port, jar.awaitListeningPort(), jar.describe());
                try (ChannelClient client = ChannelClient.connect(new InetSocketAddress("127.0.0.1", port))) {
                    assertTrue(client.callText(TestServers.pingText(round)).isOk());
                    jar.process().destroy();
                    // The server closes first, so its side of this connection is left in TIME_WAIT.
                    assertEquals("server.closing", client.readTextMessage(WAIT).type());
                    client.expectEof(WAIT);
                }
                assertEquals(0, jar.awaitExit(WAIT), jar.describe());
                assertFalse(jar.stdout().contains("in use"), jar.describe());
            }
        }
    }
}
