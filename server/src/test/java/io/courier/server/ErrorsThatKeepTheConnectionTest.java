package io.courier.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.courier.protocol.ErrorCode;
import io.courier.protocol.Framing;
import io.courier.protocol.Message;
import io.courier.server.api.Handler;
import io.courier.server.support.ProbeHandlers;
import io.courier.server.api.RequestException;
import io.courier.server.api.Session;
import io.courier.server.support.Frames;
import io.courier.server.support.RawClient;
import io.courier.server.support.TestServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import java.util.concurrent.TimeUnit;

import static io.courier.server.support.TestServers.REPLY_TIMEOUT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The errors after which PROTOCOL.md keeps the connection open: each gets its error reply, and the very next request
 * on the same connection is served normally.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ErrorsThatKeepTheConnectionTest {
    private static final int MAX_HEADER = 1024;
    private static final int MAX_BODY = 4096;

    /** A handler with a bug: it always throws, with internals in the exception message. */
    private static final Handler EXPLODING = new Handler() {
        @Override
        public String type() {
            return "explode";
        }

        @Override
        public Message handle(Message request, Session session) {
            throw new IllegalStateException("secret internal detail at com.example.Internal");
        }
    };

    /** A handler that rejects requests without a field it needs. */
    private static final Handler NEEDS_NAME = new Handler() {
        @Override
        public String type() {
            return "greet";
        }

        @Override
        public Message handle(Message request, Session session) {
            if (!request.header().path("name").isTextual()) {
                throw RequestException.badRequest("greet needs a string \"name\"");
            }
            return Message.replyTo(request).with("greeting", "hello " + request.header().get("name").asText());
        }
    };

    private Server server;

    @BeforeEach
    void startServer() throws Exception {
        server = TestServers.start(TestServers.config().maxHeaderBytes(MAX_HEADER).maxBodyBytes(MAX_BODY).build(),
                EXPLODING, NEEDS_NAME, new ProbeHandlers.Unencodable());
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @ParameterizedTest
    @EnumSource(Framing.class)
    void headerThatIsNotAnObjectIsBadRequestAndConnectionStaysOpen(Framing framing) throws Exception {
        try (RawClient client = RawClient.connect(server.port(), framing)) {
            if (framing == Framing.BINARY) {
                client.write(Frames.concat(Frames.binary("[1,2]"), Frames.binary("\"ping\""), Frames.binary("42"),
                        Frames.binary("null")));
            } else {
                // JSON text must start with an object to be detected; after that any root value can follow.
                client.write(Frames.utf8("{\"type\":\"ping\",\"id\":0} [1,2] \"ping\" 42 null "));
                assertEquals(0, client.read(REPLY_TIMEOUT).id().asLong());
            }
            for (Message error : client.read(4, REPLY_TIMEOUT)) {
                assertError(error, ErrorCode.BAD_REQUEST, "error", null);
                assertTrue(error.errorMessage().contains("JSON object"), error.errorMessage());
            }
            assertPingWorks(client, 1);
        }
    }

    @ParameterizedTest
    @EnumSource(Framing.class)
    void missingOrNonStringTypeIsBadRequestWithTheIdAndConnectionStaysOpen(Framing framing) throws Exception {
        try (RawClient client = RawClient.connect(server.port(), framing)) {
            for (String header : List.of("{\"id\":5}", "{\"type\":42,\"id\":6}", "{\"type\":\"\",\"id\":7}",
                    "{\"type\":null,\"id\":8}", "{\"type\":[\"ping\"],\"id\":9}")) {
                client.write(framing == Framing.BINARY ? Frames.binary(header) : Frames.utf8(header));
            }
            List<Message> errors = client.read(5, REPLY_TIMEOUT);
            for (int i = 0; i < errors.size(); i++) {
                assertError(errors.get(i), ErrorCode.BAD_REQUEST, "error", (long) (5 + i));
                assertTrue(errors.get(i).errorMessage().contains("type"), errors.get(i).errorMessage());
            }
            assertPingWorks(client, 10);
        }
    }

    @Test
    void fieldAHandlerNeedsMissingIsBadRequestFromTheHandler() throws Exception {
        try (RawClient client = RawClient.connect(server.port(), Framing.JSON_TEXT)) {
            client.write(Frames.utf8("{\"type\":\"greet\",\"id\":1}{\"type\":\"greet\",\"id\":2,\"name\":\"李\"}"));
            List<Message> replies = client.read(2, REPLY_TIMEOUT);
            assertError(replies.get(0), ErrorCode.BAD_REQUEST, "greet", 1L);
            assertEquals("greet needs a string \"name\"", replies.get(0).errorMessage());
            assertEquals("hello 李", replies.get(1).header().path("greeting").asText());
        }
    }

    @ParameterizedTest
    @EnumSource(Framing.class)
    void unknownTypeListsTheSortedKnownTypesAndConnectionStaysOpen(Framing framing) throws Exception {
        try (Server plain = TestServers.start();
             RawClient client = RawClient.connect(plain.port(), framing)) {
            client.send(Message.of("no.such.type").with("id", "abc"));
            Message error = client.read(REPLY_TIMEOUT);
            assertError(error, ErrorCode.UNKNOWN_TYPE, "no.such.type", null);
            assertEquals("abc", error.id().asText());
            List<String> builtIn = textList(error);
            assertEquals(builtIn.stream().sorted().collect(Collectors.toList()), builtIn, "sorted");
            assertTrue(builtIn.containsAll(List.of("echo", "ping", "stats", "types", "file.put", "room.join")),
                    builtIn.toString());
            assertPingWorks(client, 1);
        }
        try (RawClient client = RawClient.connect(server.port(), framing)) {
            client.send(Message.of("nope").with("id", 3));
            // Handlers registered by the application are offered too, still sorted.
            List<String> withApplication = textList(client.read(REPLY_TIMEOUT));
            assertEquals(withApplication.stream().sorted().collect(Collectors.toList()), withApplication, "sorted");
            assertTrue(withApplication.containsAll(List.of("echo", "explode", "greet", "ping", "types",
                    "unencodable")), withApplication.toString());
        }
    }

    @Test
    void binaryHeaderOverTheLimitIsSkippedAndTheNextFrameGetsItsReply() throws Exception {
        String bigHeader = "{\"type\":\"echo\",\"id\":1,\"pad\":\"" + "x".repeat(MAX_HEADER) + "\"}";
        try (RawClient client = RawClient.connect(server.port(), Framing.BINARY)) {
            // Over-limit header alone, then with a body that must be skipped too, each followed by a good frame.
            client.write(Frames.concat(Frames.binary(bigHeader), Frames.binary("{\"type\":\"echo\",\"id\":2}"),
                    Frames.binary(bigHeader, Frames.randomBytes(3000, 1)), Frames.binary("{\"type\":\"echo\",\"id\":3}")));
            List<Message> replies = client.read(4, REPLY_TIMEOUT);
            assertError(replies.get(0), ErrorCode.TOO_LARGE, "error", null);
            assertTrue(replies.get(0).errorMessage().contains("max-header-bytes " + MAX_HEADER),
                    "the error names the limit: " + replies.get(0).errorMessage());
            assertEquals(2, replies.get(1).id().asLong());
            assertTrue(replies.get(1).isOk());
            assertError(replies.get(2), ErrorCode.TOO_LARGE, "error", null);
            assertEquals(3, replies.get(3).id().asLong());
            assertTrue(replies.get(3).isOk());
        }
    }

    @Test
    void binaryBodyOverTheLimitIsSkippedAcrossManyReadsAndTheNextFrameGetsItsReply() throws Exception {
        // 1 MiB against a 4 KiB limit: the skip spans many reads of the server's 64 KiB buffer.
        byte[] hugeBody = Frames.randomBytes(1 << 20, 2);
        // The skipped body is full of bytes that would decode as frame prefixes if the skip were off by any.
        try (RawClient client = RawClient.connect(server.port(), Framing.BINARY)) {
            client.write(Frames.concat(Frames.binary("{\"type\":\"echo\",\"id\":\"big\"}", hugeBody),
                    Frames.binary("{\"type\":\"echo\",\"id\":\"next\"}", new byte[] {1, 2, 3})));
            List<Message> replies = client.read(2, REPLY_TIMEOUT);
            assertError(replies.get(0), ErrorCode.TOO_LARGE, "echo", null);
            assertEquals("big", replies.get(0).id().asText(), "the error carries the request's id");
            assertTrue(replies.get(0).errorMessage().contains("max-body-bytes " + MAX_BODY),
                    replies.get(0).errorMessage());
            assertEquals("next", replies.get(1).id().asText());
            assertEquals(3, replies.get(1).bodyLength());
        }
    }

    @Test
    void bodyExactlyAtTheLimitIsServed() throws Exception {
        byte[] body = Frames.randomBytes(MAX_BODY, 3);
        try (RawClient client = RawClient.connect(server.port(), Framing.BINARY)) {
            client.write(Frames.binary("{\"type\":\"echo\",\"id\":1}", body));
            Message reply = client.read(REPLY_TIMEOUT);
            assertTrue(reply.isOk(), reply.toString());
            assertEquals(MAX_BODY, reply.bodyLength());
        }
    }

    @ParameterizedTest
    @EnumSource(Framing.class)
    void handlerThatThrowsCostsOneErrorReplyNotTheConnection(Framing framing) throws Exception {
        try (RawClient client = RawClient.connect(server.port(), framing)) {
            client.send(Message.of("explode").with("id", 1));
            client.send(Message.of("explode").with("id", 2));
            List<Message> errors = client.read(2, REPLY_TIMEOUT);
            for (int i = 0; i < 2; i++) {
                Message error = errors.get(i);
                assertError(error, ErrorCode.HANDLER_FAILED, "explode", (long) (i + 1));
                assertFalse(error.errorMessage().contains("secret"), "no internals: " + error.errorMessage());
                assertFalse(error.errorMessage().contains("IllegalStateException"), error.errorMessage());
                assertFalse(error.errorMessage().contains("com.example"), error.errorMessage());
            }
            assertPingWorks(client, 3);
        }
        assertTrue(server.stats().errors().get(ErrorCode.HANDLER_FAILED) >= 2, "errors are counted by code");
    }

    @ParameterizedTest
    @EnumSource(Framing.class)
    void replyThatCannotBeEncodedCostsOneErrorReplyNotTheConnection(Framing framing) throws Exception {
        try (RawClient client = RawClient.connect(server.port(), framing)) {
            client.send(Message.of("ping").with("id", 1));
            client.send(Message.of("unencodable").with("id", 2));
            client.send(Message.of("ping").with("id", 3));
            List<Message> replies = client.read(3, REPLY_TIMEOUT);
            assertEquals(1, replies.get(0).id().asLong());
            assertError(replies.get(1), ErrorCode.HANDLER_FAILED, "unencodable", 2L);
            assertFalse(replies.get(1).errorMessage().contains("Object"), "no internals: " + replies.get(1));
            assertEquals(3, replies.get(2).id().asLong());
        }
        // The server's books stay right, so a shutdown does not wait for a connection that is long gone.
        await().atMost(REPLY_TIMEOUT).until(() -> server.stats().connectionsOpen() == 0);
    }

    private static void assertPingWorks(RawClient client, long id) throws Exception {
        client.send(Message.of("ping").with("id", id));
        Message pong = client.read(REPLY_TIMEOUT);
        assertEquals("ping", pong.type());
        assertEquals(id, pong.id().asLong());
        assertTrue(pong.isOk(), "the connection still serves requests: " + pong);
    }

    /** Checks PROTOCOL.md's error shape; {@code id} null means "do not check". */
    static void assertError(Message error, ErrorCode code, String type, Long id) {
        assertTrue(error.isReply(), "an error is a reply: " + error);
        assertFalse(error.isOk(), "ok must be false: " + error);
        assertEquals(code.wireName(), error.errorCode(), error.toString());
        assertEquals(type, error.type(), error.toString());
        if (id != null) {
            assertEquals(id, error.id() == null ? null : error.id().asLong(), error.toString());
        }
        assertTrue(error.errorMessage() != null && !error.errorMessage().isBlank(), "a sentence: " + error);
    }

    private static List<String> textList(Message error) {
        return StreamSupport.stream(error.errorOptions().spliterator(), false)
                .map(JsonNode::asText).collect(Collectors.toList());
    }
}
