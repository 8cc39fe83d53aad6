package io.courier.server;

import io.courier.server.config.ServerConfig;

import io.courier.protocol.Framing;
import io.courier.protocol.Message;
import io.courier.protocol.client.MessageClient;
import io.courier.server.api.Handler;
import io.courier.server.api.Session;
import io.courier.server.metrics.CloseReason;
import io.courier.server.metrics.ServerStats;
import io.courier.server.support.Frames;
import io.courier.server.support.LogCapture;
import io.courier.server.support.RawClient;
import io.courier.server.support.TestServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static io.courier.server.support.TestServers.REPLY_TIMEOUT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client that sends but never reads must cost the server bounded memory and must not slow anyone else down:
 * the server stops reading from it above the high watermark, or closes it as a slow consumer.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class BackpressureTest {
    private static final long HIGH = 256 * 1024;
    private static final long LOW = 64 * 1024;
    private static final long SLOW_CONSUMER = 4L << 20;
    /** The bound users are promised: a prompt reply for everyone else while one client is stuck. */
    private static final Duration PROMPT = Duration.ofSeconds(2);

    private static ServerConfig smallWatermarks() {
        return TestServers.config().writeHighWatermark(HIGH).writeLowWatermark(LOW).slowConsumerBytes(SLOW_CONSUMER)
                .build();
    }

    @Test
    void clientThatNeverReadsIsNoLongerReadWhileOthersStayPromptlyServed() throws Exception {
        byte[] body = Frames.randomBytes(64 * 1024, 64);
        try (Server server = TestServers.start(smallWatermarks());
             SocketChannel hog = SocketChannel.open(new InetSocketAddress("127.0.0.1", server.port()));
             MessageClient other = MessageClient.connect(new InetSocketAddress("127.0.0.1", server.port()))) {
            hog.configureBlocking(false);
            Pump pump = new Pump(hog, body);

            // Keep sending 64 KiB echo requests without reading a byte, until the socket takes nothing more and
            // the server has read nothing new between two polls: it has stopped reading from this client.
            AtomicLong lastBytesIn = new AtomicLong(-1);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> {
                long written = pump.fill();
                long bytesIn = server.stats().bytesIn();
                boolean stalled = written == 0 && bytesIn == lastBytesIn.get();
                lastBytesIn.set(bytesIn);
                return stalled;
            });
            assertTrue(pump.framesStarted > 8, "the hog got well past the watermark first: " + pump.framesStarted);

            // Everyone else is served promptly meanwhile: existing connections and new ones.
            for (int i = 0; i < 20; i++) {
                Message reply = other.call(Frames.echo(i, "while the hog is stuck"), PROMPT);
                assertEquals("while the hog is stuck", reply.header().path("text").asText());
            }
            try (MessageClient newcomer = MessageClient.connect(new InetSocketAddress("127.0.0.1", server.port()),
                    Framing.JSON_TEXT, PROMPT)) {
                assertTrue(newcomer.call(Message.of("ping"), PROMPT).isOk());
            }

            // The newcomer's close reaches the server a moment after close() returns: wait for it, not a race.
            await().atMost(PROMPT).until(() -> server.stats().connectionsOpen() <= 2);
            ServerStats.Snapshot stats = server.stats();
            assertEquals(0, stats.closes().get(CloseReason.SLOW_CONSUMER), "throttled, not closed: " + stats);
            assertEquals(2, stats.connectionsOpen(), "the hog is still connected: " + stats);
            long oneReply = body.length + 64;
            assertTrue(stats.maxConnectionQueuedBytes() <= HIGH + 2 * oneReply,
                    "queued replies of one connection stay near the high watermark " + HIGH + ", were up to "
                            + stats.maxConnectionQueuedBytes());

            // When the hog finally reads, reading resumes (below the low watermark) and nothing was lost: every
            // request it sent gets its reply, in order.
            hog.configureBlocking(true);
            CompletableFuture<Void> rest = CompletableFuture.runAsync(pump::finishCurrentFrame, task -> {
                Thread writer = new Thread(task, "hog-writer");
                writer.setDaemon(true);
                writer.start();
            });
            RawClient reader = RawClient.wrap(hog.socket(), Framing.BINARY);
            List<Message> replies = reader.read(pump.framesStarted, Duration.ofSeconds(30));
            rest.get(10, TimeUnit.SECONDS);
            for (int i = 0; i < replies.size(); i++) {
                assertEquals(i, replies.get(i).id().asLong());
                assertArrayEquals(body, replies.get(i).body());
            }
            await().atMost(REPLY_TIMEOUT).until(() -> server.stats().queuedReplyBytes() == 0);
        }
    }

    @ParameterizedTest
    @EnumSource(Framing.class)
    void clientThatNeverReadsWhileOneReadQueuesTooMuchIsClosedAsSlowConsumer(Framing framing) throws Exception {
        // One small request, one big reply: a few requests in one write queue more than slow-consumer-bytes
        // before the client could read anything. The server closes it rather than buffering without bound.
        Handler blob = new Handler() {
            @Override
            public String type() {
                return "blob";
            }

            @Override
            public Message handle(Message request, Session session) {
                return Message.replyTo(request).withBody(new byte[1 << 20]);
            }
        };
        try (LogCapture errors = LogCapture.errors();
             Server server = TestServers.start(smallWatermarks(), blob);
             RawClient hog = RawClient.connect(server.port(), framing);
             MessageClient other = MessageClient.connect(new InetSocketAddress("127.0.0.1", server.port()))) {
            byte[][] requests = new byte[8][];
            for (int i = 0; i < requests.length; i++) {
                requests[i] = Frames.encode(Message.of("blob").with("id", i), framing);
            }
            hog.write(Frames.concat(requests));

            await().atMost(REPLY_TIMEOUT).untilAsserted(() -> {
                ServerStats.Snapshot stats = server.stats();
                assertEquals(1, stats.closes().get(CloseReason.SLOW_CONSUMER), stats.toString());
                assertEquals(1, stats.connectionsOpen(), "only the other client is left: " + stats);
                assertEquals(0, stats.queuedReplyBytes(), "the slow consumer's queue is freed: " + stats);
            });
            ServerStats.Snapshot stats = server.stats();
            assertTrue(stats.maxConnectionQueuedBytes() <= SLOW_CONSUMER + (1 << 20) + 1024,
                    "never more than the limit plus the reply that crossed it: " + stats.maxConnectionQueuedBytes());
            assertTrue(other.call(Message.of("ping"), PROMPT).isOk(), "the others are unaffected");
            assertEquals(List.of(), errors.lines(), "a planned close, not an accident");
        }
    }

    @Test
    void readerThatKeepsUpIsNeverThrottledIntoAClose() throws Exception {
        // The watermarks pause and resume reading many times over 16 MiB; a client that reads must never be
        // mistaken for a slow consumer, and must get every reply.
        int count = 256;
        byte[] body = Frames.randomBytes(64 * 1024, 65);
        try (Server server = TestServers.start(smallWatermarks());
             RawClient client = RawClient.connect(server.port(), Framing.BINARY)) {
            byte[][] frames = new byte[count][];
            for (int i = 0; i < count; i++) {
                frames[i] = Frames.binary("{\"type\":\"echo\",\"id\":" + i + "}", body);
            }
            CompletableFuture<Void> writing = client.writeInBackground(Frames.concat(frames));
            List<Message> replies = client.read(count, Duration.ofSeconds(60));
            writing.get(10, TimeUnit.SECONDS);
            for (int i = 0; i < count; i++) {
                assertEquals(i, replies.get(i).id().asLong());
                assertArrayEquals(body, replies.get(i).body());
            }
            ServerStats.Snapshot stats = server.stats();
            assertEquals(0, stats.closes().get(CloseReason.SLOW_CONSUMER), stats.toString());
            assertTrue(stats.maxConnectionQueuedBytes() < SLOW_CONSUMER, stats.toString());
        }
    }

    /** Writes echo frames with ids 0, 1, 2, ... into a non-blocking channel, as far as it takes them. */
    private static final class Pump {
        private final SocketChannel channel;
        private final byte[] body;
        private ByteBuffer current;
        int framesStarted;

        Pump(SocketChannel channel, byte[] body) {
            this.channel = channel;
            this.body = body;
        }

        /** Writes until the channel takes nothing; returns the bytes written. */
        long fill() throws IOException {
            long total = 0;
            while (true) {
                if (current == null || !current.hasRemaining()) {
                    current = ByteBuffer.wrap(Frames.binary("{\"type\":\"echo\",\"id\":" + framesStarted + "}", body));
                    framesStarted++;
                }
                int n = channel.write(current);
                if (n == 0) {
                    return total;
                }
                total += n;
            }
        }

        /** Completes the frame in progress, so every frame started is a whole request (blocking mode). */
        void finishCurrentFrame() {
            try {
                while (current != null && current.hasRemaining()) {
                    channel.write(current);
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
