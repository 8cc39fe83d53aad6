package io.courier.server.service;

import io.courier.server.support.TestServers;
import io.courier.server.support.ChannelClient;
import io.courier.protocol.ErrorCode;
import io.courier.protocol.Framing;
import io.courier.protocol.Message;
import io.courier.protocol.client.MessageClient;
import io.courier.server.Server;
import io.courier.server.support.ProbeHandlers;
import io.courier.server.metrics.CloseReason;
import io.courier.server.metrics.ServerStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Connection-level limits: max-connections, idle-timeout, frame-timeout (slowloris). */
@Timeout(60)
class ConnectionLimitsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void connectionOverTheLimitGetsBusyAndIsClosedWhileTheOthersAreServed() throws Exception {
        int max = 3;
        try (Server server = TestServers.startProbed(TestServers.loopback().maxConnections(max))) {
            InetSocketAddress address = server.localAddress();
            List<ChannelClient> served = new ArrayList<>();
            try {
                for (int i = 0; i < max; i++) {
                    ChannelClient client = ChannelClient.connect(address);
                    served.add(client);
                    assertTrue(client.callText(TestServers.pingText(i)).isOk(), "connection " + (i + 1) + " is served");
                }
                try (ChannelClient extra = ChannelClient.connect(address)) {
                    Message busy = extra.readTextMessage(WAIT);
                    assertFalse(busy.isOk());
                    assertEquals("busy", busy.errorCode());
                    assertTrue(busy.errorMessage().contains("max-connections"), busy.errorMessage());
                    extra.expectEof(WAIT);
                }
                for (ChannelClient client : served) {
                    assertTrue(client.callText(TestServers.pingText(7)).isOk(), "the first N are still served");
                }

                served.remove(0).close();
                await().atMost(WAIT).until(() -> server.stats().connectionsOpen() == max - 1);
                try (ChannelClient again = ChannelClient.connect(address)) {
                    assertTrue(again.callText(TestServers.pingText(8)).isOk(), "a freed slot is usable again");
                }
                ServerStats.Snapshot stats = server.stats();
                assertEquals(1, stats.connectionsRejected());
                assertEquals(1, stats.errors().get(ErrorCode.BUSY));
                assertEquals(max + 1, stats.connectionsTotal(), "a rejected connection is not counted as opened");
            } finally {
                for (ChannelClient client : served) {
                    client.close();
                }
            }
        }
    }

    @Test
    void javaClientOverTheLimitSeesBusyAndItsCallsFailFast() throws Exception {
        try (Server server = TestServers.startProbed(TestServers.loopback().maxConnections(1));
             ChannelClient first = ChannelClient.connect(server.localAddress());
             MessageClient second = MessageClient.connect(server.localAddress(), Framing.BINARY, WAIT)) {
            assertTrue(first.callFrame(TestServers.ping(1)).isOk());
            // The server answers before it knows the framing, in JSON text and without an id: an unsolicited error.
            Message busy = second.nextUnsolicited(WAIT);
            assertEquals("busy", busy == null ? null : busy.errorCode(), String.valueOf(busy));
            await().atMost(WAIT).until(() -> !second.isOpen());
            // Regression: a call on a connection the server already closed used to wait for its whole timeout.
            long start = System.nanoTime();
            assertThrows(IOException.class, () -> second.call(TestServers.ping(2), Duration.ofSeconds(30)));
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(10).toNanos(), "fails fast, not at the timeout");
            assertTrue(first.callFrame(TestServers.ping(3)).isOk());
            assertEquals(1, server.stats().connectionsRejected());
        }
    }

    @Test
    void silentConnectionTimesOutWhileAPingingOneStaysOpen() throws Exception {
        Duration idle = Duration.ofSeconds(1); // pings come every 100 ms: a loaded 2-core machine still makes it
        try (Server server = TestServers.startProbed(TestServers.loopback().idleTimeout(idle));
             ChannelClient silent = ChannelClient.connect(server.localAddress());
             ChannelClient silentBinary = ChannelClient.connect(server.localAddress());
             ChannelClient pinging = ChannelClient.connect(server.localAddress())) {
            long start = System.nanoTime();
            assertTrue(silentBinary.callFrame(TestServers.ping(1)).isOk()); // fixes its framing, then goes quiet
            AtomicInteger pings = new AtomicInteger();
            // Ping every 100 ms for 2.5 idle timeouts; every ping must be answered on the same connection.
            await().during(idle.multipliedBy(5).dividedBy(2)).atMost(WAIT).pollInterval(Duration.ofMillis(100))
                    .until(() -> pinging.callText(TestServers.pingText(pings.incrementAndGet())).isOk());

            Message timeout = silent.readTextMessage(WAIT);
            assertEquals("timeout", timeout.errorCode());
            assertTrue(timeout.errorMessage().contains("idle-timeout (1000 ms)"), timeout.errorMessage());
            silent.expectEof(WAIT);
            assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(idle) >= 0);

            Message binaryTimeout = silentBinary.readFrame(WAIT);
            assertEquals("timeout", binaryTimeout.errorCode(), "the error comes in the client's framing");
            silentBinary.expectEof(WAIT);
            silent.close();
            silentBinary.close();

            // Still pinging (so it never idles) until the server has counted both timed-out connections closed.
            await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() ->
                    pinging.callText(TestServers.pingText(pings.incrementAndGet())).isOk()
                            && server.stats().closes().get(CloseReason.TIMEOUT) == 2);
            assertEquals(2, server.stats().errors().get(ErrorCode.TIMEOUT));
            assertTrue(pings.get() >= 5, "pinged " + pings.get() + " times");
        }
    }

    @Test
    void slowlorisDribblingAPartialMessageIsClosedWithTimeout() throws Exception {
        Duration frame = Duration.ofSeconds(1);
        try (Server server = TestServers.startProbed(TestServers.loopback().frameTimeout(frame).idleTimeout(Duration.ZERO));
             ChannelClient slowloris = ChannelClient.connect(server.localAddress());
             ChannelClient normal = ChannelClient.connect(server.localAddress())) {
            slowloris.send("{\"type\":\"echo\",\"id\":1,\"pad\":\"");
            long start = System.nanoTime();
            // A byte every 50 ms keeps the connection busy (never idle), but the message never completes.
            await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
                try {
                    slowloris.send("a");
                } catch (IOException closedAlready) {
                    return true;
                }
                return slowloris.poll(Duration.ofMillis(1));
            });
            Message timeout = slowloris.readTextMessage(WAIT);
            assertEquals("timeout", timeout.errorCode());
            assertTrue(timeout.errorMessage().contains("frame-timeout (1000 ms)"), timeout.errorMessage());
            assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(frame) >= 0, "not before the timeout");
            slowloris.drainToEof(WAIT);
            slowloris.close();

            // A client sending whole messages sees no timeout however long it stays, and no delay.
            AtomicInteger id = new AtomicInteger();
            await().during(frame.multipliedBy(3)).atMost(WAIT).pollInterval(Duration.ofMillis(50))
                    .until(() -> normal.callText(TestServers.pingText(id.incrementAndGet())).isOk());
            // Even one message split in two sends, completed in time, is fine.
            normal.send("{\"type\":\"ping\",");
            Message pong = normal.callText("\"id\":\"split\"}");
            assertEquals("split", pong.id().textValue());
            await().atMost(WAIT).until(() -> server.stats().closes().get(CloseReason.TIMEOUT) == 1);
        }
    }

    @Test
    void slowlorisWithAPartialBinaryFrameGetsABinaryTimeout() throws Exception {
        try (Server server = TestServers.startProbed(TestServers.loopback().frameTimeout(Duration.ofMillis(400))
                .idleTimeout(Duration.ZERO));
             ChannelClient slowloris = ChannelClient.connect(server.localAddress())) {
            slowloris.send(new byte[] {0, 0, 0, 100, 0, 0, 0, 0, '{'}); // promises 100 header bytes, sends 1
            Message timeout = slowloris.readFrame(WAIT);
            assertEquals("timeout", timeout.errorCode());
            slowloris.expectEof(WAIT);
        }
    }

    @Test
    void aReplyThatCannotBeEncodedCostsOneErrorAndNeitherTheConnectionNorItsSlot() throws Exception {
        try (Server server = TestServers.startProbed(TestServers.loopback().maxConnections(1),
                new ProbeHandlers.Unencodable())) {
            try (ChannelClient client = ChannelClient.connect(server.localAddress())) {
                Message failed = client.callFrame(Message.of("unencodable").with("id", 1));
                assertEquals("handler_failed", failed.errorCode(), failed.toString());
                assertTrue(client.callFrame(TestServers.ping(2)).isOk(), "the same connection keeps working");
                assertEquals(1, server.stats().connectionsOpen());
            }
            await().atMost(WAIT).until(() -> server.stats().connectionsOpen() == 0);
            try (ChannelClient next = ChannelClient.connect(server.localAddress())) {
                assertTrue(next.callFrame(TestServers.ping(3)).isOk(), "the slot was freed when the client left");
            }
        }
    }
}
