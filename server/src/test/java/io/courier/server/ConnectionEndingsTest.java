package io.courier.server;

import io.courier.server.config.ServerConfig;

import io.courier.protocol.ErrorCode;
import io.courier.protocol.Framing;
import io.courier.protocol.Message;
import io.courier.protocol.client.MessageClient;
import io.courier.server.metrics.CloseReason;
import io.courier.server.metrics.ServerStats;
import io.courier.server.support.Frames;
import io.courier.server.support.RawClient;
import io.courier.server.support.TestServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.courier.server.ErrorsThatKeepTheConnectionTest.assertError;
import static io.courier.server.support.TestServers.REPLY_TIMEOUT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How connections end: resets in the middle of a frame, half-closes, and closes after an error. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConnectionEndingsTest {

    @Test
    void clientsResettingMidFrameDoNotDisturbOthersAndAreCountedClosed() throws Exception {
        int resetters = 50;
        try (Server server = TestServers.start();
             MessageClient steady = MessageClient.connect(new InetSocketAddress("127.0.0.1", server.port()))) {
            byte[] binaryFrame = Frames.binary("{\"type\":\"echo\",\"id\":1}", Frames.randomBytes(10_000, 1));
            byte[] jsonObject = Frames.utf8("{\"type\":\"echo\",\"id\":1,\"text\":\"half of me is missing\"}");
            for (int i = 0; i < resetters; i++) {
                byte[] whole = i % 2 == 0 ? binaryFrame : jsonObject;
                RawClient client = RawClient.connect(server.port(), i % 2 == 0 ? Framing.BINARY : Framing.JSON_TEXT);
                client.write(Arrays.copyOf(whole, whole.length / 2));
                // Let the server see the half frame before the reset, on some connections at least: a ping on the
                // steady connection is a full round trip through the loop.
                assertTrue(steady.call(Message.of("ping"), REPLY_TIMEOUT).isOk());
                client.reset();
                Message echo = steady.call(Frames.echo(0, "still here " + i), REPLY_TIMEOUT);
                assertEquals("still here " + i, echo.header().path("text").asText());
            }
            await().atMost(REPLY_TIMEOUT).untilAsserted(() -> {
                ServerStats.Snapshot stats = server.stats();
                assertEquals(1, stats.connectionsOpen(), "only the steady client is left: " + stats);
                long ended = stats.closes().get(CloseReason.RESET) + stats.closes().get(CloseReason.CLIENT_CLOSED);
                assertEquals(resetters, ended, "every reset connection is counted closed: " + stats.closes());
            });
            assertTrue(steady.call(Message.of("ping"), REPLY_TIMEOUT).isOk());
        }
    }

    @ParameterizedTest
    @EnumSource(Framing.class)
    void halfClosedClientStillGetsAllRepliesThenEof(Framing framing) throws Exception {
        int count = 200;
        try (Server server = TestServers.start();
             RawClient client = RawClient.connect(server.port(), framing)) {
            client.write(Frames.echoes(count, framing));
            client.shutdownOutput();
            List<Message> replies = client.read(count, REPLY_TIMEOUT);
            for (int i = 0; i < count; i++) {
                assertEquals(i, replies.get(i).id().asLong());
                assertEquals("message " + i, replies.get(i).header().path("text").asText());
            }
            client.expectEof(REPLY_TIMEOUT);
            await().atMost(REPLY_TIMEOUT).untilAsserted(() -> {
                assertEquals(1, server.stats().closes().get(CloseReason.CLIENT_CLOSED));
                assertEquals(0, server.stats().connectionsOpen());
            });
        }
    }

    @Test
    void halfClosedClientWithRepliesOverTheHighWatermarkStillGetsThemAll() throws Exception {
        // 64 x 64 KiB = 4 MiB of replies against a 256 KiB high watermark: the server must pause reading, resume,
        // and only then see the end of input, without losing the requests or replies in between.
        int count = 64;
        byte[] body = Frames.randomBytes(64 * 1024, 9);
        ServerConfig config = TestServers.config().writeHighWatermark(256 * 1024).writeLowWatermark(64 * 1024)
                .slowConsumerBytes(4L << 20).build();
        try (Server server = TestServers.start(config);
             RawClient client = RawClient.connect(server.port(), Framing.BINARY)) {
            byte[][] frames = new byte[count][];
            for (int i = 0; i < count; i++) {
                frames[i] = Frames.binary("{\"type\":\"echo\",\"id\":" + i + "}", body);
            }
            byte[] all = Frames.concat(frames);
            CompletableFuture<Void> writing = client.writeInBackground(all).thenRun(() -> {
                try {
                    client.shutdownOutput();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            List<Message> replies = client.read(count, REPLY_TIMEOUT.multipliedBy(2));
            writing.get(10, TimeUnit.SECONDS);
            for (int i = 0; i < count; i++) {
                assertEquals(i, replies.get(i).id().asLong());
                assertArrayEquals(body, replies.get(i).body());
            }
            client.expectEof(REPLY_TIMEOUT);
        }
    }

    @Test
    void repliesQueuedBeforeAnErrorReachAClientThatReadsLateEvenWithUnreadBytesBehindTheError() throws Exception {
        // The client pipelines big requests, then garbage, then more bytes the server will never read, and only
        // starts reading once the server has answered the garbage. The server must not cut the connection with a
        // reset (which is what closing a socket with unread input does), throwing away replies still in flight.
        int count = 8;
        byte[] body = Frames.randomBytes(256 * 1024, 5);
        ServerConfig config = TestServers.config().writeHighWatermark(16L << 20).writeLowWatermark(1L << 20)
                .slowConsumerBytes(64L << 20).build();
        try (Server server = TestServers.start(config);
             RawClient client = RawClient.connect(server.port(), Framing.BINARY)) {
            byte[][] parts = new byte[count + 2][];
            for (int i = 0; i < count; i++) {
                parts[i] = Frames.binary("{\"type\":\"echo\",\"id\":" + i + "}", body);
            }
            parts[count] = Frames.binary("{\"type\":");             // malformed: the stream cannot go on
            parts[count + 1] = Frames.randomBytes(1 << 20, 6);       // never read by the server
            byte[] all = Frames.concat(parts);
            CompletableFuture<Void> writing = client.writeInBackground(all);
            await().atMost(REPLY_TIMEOUT).until(() -> server.stats().errors().get(ErrorCode.MALFORMED) == 1);

            List<Message> replies = client.read(count + 1, REPLY_TIMEOUT);
            for (int i = 0; i < count; i++) {
                assertEquals(i, replies.get(i).id().asLong());
                assertArrayEquals(body, replies.get(i).body());
            }
            assertError(replies.get(count), ErrorCode.MALFORMED, "error", null);
            client.expectEof(REPLY_TIMEOUT);
            // The writer ends either way: all written, or refused once the server has closed.
            writing.handle((written, refused) -> null).get(REPLY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Test
    void connectionsThatSendNothingAndCloseAreCountedAsClientClosed() throws Exception {
        try (Server server = TestServers.start()) {
            for (int i = 0; i < 20; i++) {
                RawClient.connect(server.port(), Framing.BINARY).close();
            }
            await().atMost(REPLY_TIMEOUT).untilAsserted(() -> {
                ServerStats.Snapshot stats = server.stats();
                assertEquals(20, stats.connectionsTotal(), stats.toString());
                assertEquals(0, stats.connectionsOpen(), stats.toString());
                assertEquals(20, stats.closes().get(CloseReason.CLIENT_CLOSED), stats.closes().toString());
            });
        }
    }
}
