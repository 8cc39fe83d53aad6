package io.courier.server.hostile;

import io.courier.protocol.Framing;
import io.courier.protocol.Message;
import io.courier.server.Server;
import io.courier.server.config.ServerConfig;
import io.courier.server.metrics.CloseReason;
import io.courier.server.metrics.ServerStats;
import io.courier.server.support.ProbeHandlers;
import io.courier.server.support.Frames;
import io.courier.server.support.NoErrorLogged;
import io.courier.server.support.RawClient;
import io.courier.server.support.TestServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static io.courier.server.hostile.Hostile.PROMPT;
import static io.courier.server.hostile.Hostile.pingWithin;
import static io.courier.server.support.TestServers.REPLY_TIMEOUT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Twenty clients that ask for 1 MiB replies and never read a byte: ten ask for many at once (and are closed as
 * slow consumers), ten keep asking one at a time (and are throttled: no longer read, their replies held). The
 * server's queued reply bytes stay within what the configuration allows, everyone else keeps getting replies
 * within the usual latency, and when the throttled clients reset with replies still queued, they cost nothing
 * more: counted closed, the queued-bytes gauge back to 0. BackpressureTest covers one such client at a time.
 */
@ExtendWith(NoErrorLogged.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NeverReadingClientsTest {
    private static final int REPLY = 1 << 20;
    private static final long HIGH = 256 * 1024;
    private static final long LOW = 64 * 1024;
    private static final long SLOW_CONSUMER = 8L << 20;
    /** A reply as written: in JSON text its body is base64, a third larger. */
    private static final long REPLY_ON_THE_WIRE = REPLY / 3 * 4 + 1024;
    /** The most one connection may hold: the slow-consumer limit plus the reply that crossed it. */
    private static final long PER_CONNECTION_BOUND = SLOW_CONSUMER + REPLY_ON_THE_WIRE;
    private static final int FLOODERS = 10;
    private static final int TRICKLERS = 10;

    @Test
    void clientsThatNeverReadCostBoundedMemoryAndNobodyElseWaits() throws Exception {
        ServerConfig config = TestServers.config().writeHighWatermark(HIGH).writeLowWatermark(LOW)
                .slowConsumerBytes(SLOW_CONSUMER).sendBufferBytes(64 * 1024).build();
        byte[] blobText = Frames.utf8("{\"type\":\"blob\",\"size\":" + REPLY + "}\n");
        byte[] blobFrame = Frames.binary("{\"type\":\"blob\",\"size\":" + REPLY + "}");
        try (Server server = TestServers.start(config, new ProbeHandlers.Blob());
             RawClient normal = RawClient.connect(server.port(), Framing.BINARY);
             SlowClients hogs = new SlowClients()) {
            AtomicInteger ids = new AtomicInteger();
            pingWithin(normal, ids.incrementAndGet(), PROMPT);
            int port = server.port();
            List<SlowClients.Client> tricklers = new ArrayList<>();
            for (int i = 0; i < FLOODERS; i++) {
                // 16 requests in one write: 16 MiB of replies from one read, twice slow-consumer-bytes.
                byte[] one = i % 2 == 0 ? blobFrame : blobText;
                byte[][] many = new byte[16][];
                java.util.Arrays.fill(many, one);
                hogs.open(port, Frames.concat(many), null, false, Framing.BINARY, 16 * 1024);
            }
            for (int i = 0; i < TRICKLERS; i++) {
                // One request now and one more every tick: throttled past the high watermark, never closed.
                byte[] one = i % 2 == 0 ? blobFrame : blobText;
                tricklers.add(hogs.open(port, one, one, false, Framing.BINARY, 16 * 1024));
            }
            hogs.start(Duration.ofMillis(200));

            // While the hogs push, sample the gauges and check that the normal client is answered promptly.
            AtomicLong mostQueued = new AtomicLong();
            long totalBound = (FLOODERS + TRICKLERS) * PER_CONNECTION_BOUND;
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
                pingWithin(normal, ids.incrementAndGet(), PROMPT);
                Message echo = echo(normal, ids.incrementAndGet());
                assertEquals("still served", echo.header().path("text").asText());
                ServerStats.Snapshot stats = server.stats();
                mostQueued.accumulateAndGet(stats.queuedReplyBytes(), Math::max);
                assertTrue(stats.queuedReplyBytes() <= totalBound, "queued " + stats.queuedReplyBytes()
                        + " bytes, more than " + totalBound);
                // Done once every flooder is gone and every trickler has been throttled for a few ticks.
                return stats.closes().get(CloseReason.SLOW_CONSUMER) == FLOODERS && ids.get() > 40;
            });
            ServerStats.Snapshot during = server.stats();
            assertEquals(1 + TRICKLERS, during.connectionsOpen(), "the tricklers are throttled, not closed: " + during);
            assertTrue(during.maxConnectionQueuedBytes() <= PER_CONNECTION_BOUND, "one connection held "
                    + during.maxConnectionQueuedBytes() + " bytes, over " + PER_CONNECTION_BOUND);
            assertTrue(during.queuedReplyBytes() > 0, "the tricklers' replies wait for them: " + during);
            assertTrue(during.queuedReplyBytes() <= TRICKLERS * PER_CONNECTION_BOUND, during.toString());

            // The tricklers reset with replies still queued: counted closed, their queues freed, nobody else hurt.
            hogs.stop();
            for (SlowClients.Client trickler : tricklers) {
                trickler.reset();
            }
            await().atMost(REPLY_TIMEOUT).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
                pingWithin(normal, ids.incrementAndGet(), PROMPT);
                ServerStats.Snapshot stats = server.stats();
                assertEquals(1, stats.connectionsOpen(), stats.toString());
                assertEquals(0, stats.queuedReplyBytes(), "every queue was freed: " + stats);
                assertEquals(TRICKLERS, stats.closes().get(CloseReason.RESET), stats.closes().toString());
            });
            byte[] body = Frames.randomBytes(100_000, 7);
            normal.send(Message.of("echo").with("id", 1).withBody(body));
            assertArrayEquals(body, normal.read(PROMPT).body());
            assertTrue(mostQueued.get() > HIGH, "the hogs did queue replies: " + mostQueued.get());
        }
    }

    private static Message echo(RawClient client, long id) throws Exception {
        client.send(Message.of("echo").with("id", id).with("text", "still served"));
        Message reply = client.read(PROMPT);
        assertEquals(id, reply.id().asLong());
        return reply;
    }
}
