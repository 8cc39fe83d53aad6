package io.courier.server;

import io.courier.protocol.ErrorCode;
import io.courier.protocol.Framing;
import io.courier.protocol.Message;
import io.courier.server.api.Handler;
import io.courier.server.api.Session;
import io.courier.server.support.Frames;
import io.courier.server.support.RawClient;
import io.courier.server.support.TestServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static io.courier.server.support.TestServers.REPLY_TIMEOUT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Large binary-frame bodies travel in the loop's pooled chunks from the socket to the reply (issue 12). What a
 * user relies on stays true: an echoed body comes back bit for bit however its frame was cut, a handler that keeps
 * a request keeps its bytes while later requests reuse the chunks, a blocking handler reads its body safely on a
 * worker, and a request sent back as its own reply and kept anyway says clearly that its body is gone.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PooledBodiesTest {
    /** Around the pooled range: arrays up to 4096, chunks above it up to 64 KiB, arrays again past that. */
    private static final int[] SIZES = {4096, 4097, 16 * 1024, 40_000, 64 * 1024, 64 * 1024 + 1};

    /** {@code keep}: keeps the request and replies with another message. */
    private static final class Keep implements Handler {
        final AtomicReference<Message> kept;
        final String type;
        final boolean asOwnReply;

        Keep(String type, boolean asOwnReply, AtomicReference<Message> kept) {
            this.type = type;
            this.asOwnReply = asOwnReply;
            this.kept = kept;
        }

        @Override
        public String type() {
            return type;
        }

        @Override
        public Message handle(Message request, Session session) {
            kept.set(request);
            return asOwnReply ? request.asReply() : Message.replyTo(request);
        }
    }

    /** {@code kept}: replies with the body of the request kept earlier, or the error reading it gave. */
    private static final class Kept implements Handler {
        final AtomicReference<Message> kept;

        Kept(AtomicReference<Message> kept) {
            this.kept = kept;
        }

        @Override
        public String type() {
            return "kept";
        }

        @Override
        public Message handle(Message request, Session session) {
            try {
                return Message.replyTo(request).withBody(kept.get().body());
            } catch (IllegalStateException e) {
                return Message.errorReply(request, ErrorCode.CONFLICT, e.getMessage());
            }
        }
    }

    /** {@code digest}, blocking: the SHA-256 of the body, computed on a worker thread. */
    private static final class Digest implements Handler {
        @Override
        public String type() {
            return "digest";
        }

        @Override
        public boolean blocking() {
            return true;
        }

        @Override
        public Message handle(Message request, Session session) throws Exception {
            return Message.replyTo(request).with("sha256", sha256(request.body()));
        }
    }

    private final AtomicReference<Message> kept = new AtomicReference<>();
    private Server server;

    @BeforeEach
    void start() throws Exception {
        server = TestServers.start(new Keep("keep", false, kept), new Keep("keep-echo", true, kept), new Kept(kept),
                new Digest());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static byte[] echoFrame(int id, byte[] body) {
        return Frames.binary("{\"type\":\"echo\",\"id\":" + id + "}", body);
    }

    @Test
    void echoedBodiesComeBackBitForBitWhereverTheFrameIsCut() throws Exception {
        try (RawClient client = RawClient.connect(server.port(), Framing.BINARY)) {
            int id = 0;
            for (int size : SIZES) {
                byte[] body = Frames.randomBytes(size, size);
                byte[] frame = echoFrame(id, body);
                int header = frame.length - 8 - size;
                // The prefix alone; the header and one body byte; just under and just over half the body; all but
                // the last byte: each first part is read by the server on its own before the rest is sent.
                for (int cut : new int[] {8, 8 + header + 1, 8 + header + size / 2 - 1, 8 + header + size / 2 + 1,
                        frame.length - 1}) {
                    frame = echoFrame(id, body);
                    long before = server.stats().bytesIn();
                    client.write(Arrays.copyOf(frame, cut));
                    await().until(() -> server.stats().bytesIn() >= before + cut);
                    client.write(Arrays.copyOfRange(frame, cut, frame.length));
                    Message reply = client.read(REPLY_TIMEOUT);
                    assertTrue(reply.isOk(), reply.toString());
                    assertEquals(id, reply.id().asInt());
                    assertArrayEquals(body, reply.body(), size + " bytes cut at " + cut);
                    id++;
                }
            }
            // Many at once, in one write: bodies of every size glued together, in order.
            List<byte[]> bodies = new ArrayList<>();
            java.io.ByteArrayOutputStream glued = new java.io.ByteArrayOutputStream();
            for (int i = 0; i < 40; i++) {
                byte[] body = Frames.randomBytes(SIZES[i % SIZES.length], 1000 + i);
                bodies.add(body);
                glued.writeBytes(echoFrame(i, body));
            }
            CompletableFuture<Void> writing = client.writeInBackground(glued.toByteArray());
            List<Message> replies = client.read(40, REPLY_TIMEOUT);
            writing.get(10, TimeUnit.SECONDS);
            for (int i = 0; i < 40; i++) {
                assertEquals(i, replies.get(i).id().asInt());
                assertArrayEquals(bodies.get(i), replies.get(i).body(), "reply " + i);
            }
        }
    }

    @Test
    void aKeptRequestKeepsItsBodyWhileLaterRequestsReuseTheChunks() throws Exception {
        byte[] keptBody = Frames.randomBytes(16 * 1024, 1);
        try (RawClient client = RawClient.connect(server.port(), Framing.BINARY)) {
            client.write(Frames.binary("{\"type\":\"keep\",\"id\":1}", keptBody));
            assertTrue(client.read(REPLY_TIMEOUT).isOk());
            for (int i = 0; i < 50; i++) {
                client.write(echoFrame(i, Frames.randomBytes(16 * 1024, 100 + i)));
            }
            assertEquals(50, client.read(50, REPLY_TIMEOUT).size());

            client.write(Frames.binary("{\"type\":\"kept\",\"id\":2}"));
            Message reply = client.read(REPLY_TIMEOUT);
            assertTrue(reply.isOk(), reply.toString());
            assertArrayEquals(keptBody, reply.body(), "copied out when its handler returned, not overwritten");
        }
    }

    @Test
    void aRequestSentAsItsOwnReplyAndKeptSaysItsBodyIsGoneAndTheConnectionGoesOn() throws Exception {
        byte[] body = Frames.randomBytes(16 * 1024, 2);
        try (RawClient client = RawClient.connect(server.port(), Framing.BINARY)) {
            client.write(Frames.binary("{\"type\":\"keep-echo\",\"id\":1}", body));
            Message echoed = client.read(REPLY_TIMEOUT);
            assertArrayEquals(body, echoed.body(), "the reply itself is whole");
            client.write(echoFrame(2, Frames.randomBytes(16 * 1024, 3))); // reuses the chunk
            client.read(REPLY_TIMEOUT);

            client.write(Frames.binary("{\"type\":\"kept\",\"id\":3}"));
            Message reply = client.read(REPLY_TIMEOUT);
            assertFalse(reply.isOk(), "never another request's bytes: " + reply);
            assertTrue(reply.errorMessage().contains("call body() before replying"), reply.errorMessage());

            client.write(echoFrame(4, body));
            assertArrayEquals(body, client.read(REPLY_TIMEOUT).body());
        }
    }

    @Test
    void blockingHandlersReadTheirBodiesOnWorkersWhileTheLoopReusesItsChunks() throws Exception {
        try (RawClient digests = RawClient.connect(server.port(), Framing.BINARY);
             RawClient echoes = RawClient.connect(server.port(), Framing.BINARY)) {
            List<String> expected = new ArrayList<>();
            java.io.ByteArrayOutputStream requests = new java.io.ByteArrayOutputStream();
            java.io.ByteArrayOutputStream echoRequests = new java.io.ByteArrayOutputStream();
            for (int i = 0; i < 60; i++) {
                byte[] body = Frames.randomBytes(20_000, 5000 + i);
                expected.add(sha256(body));
                requests.writeBytes(Frames.binary("{\"type\":\"digest\",\"id\":" + i + "}", body));
                echoRequests.writeBytes(echoFrame(i, Frames.randomBytes(20_000, 9000 + i)));
            }
            CompletableFuture<Void> writing = digests.writeInBackground(requests.toByteArray());
            CompletableFuture<Void> echoing = echoes.writeInBackground(echoRequests.toByteArray());
            List<Message> replies = digests.read(60, REPLY_TIMEOUT);
            assertEquals(60, echoes.read(60, REPLY_TIMEOUT).size());
            writing.get(10, TimeUnit.SECONDS);
            echoing.get(10, TimeUnit.SECONDS);
            for (int i = 0; i < 60; i++) {
                assertEquals(expected.get(i), replies.get(i).header().path("sha256").asText(), "request " + i);
            }
        }
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
