package io.courier.server.web;

import io.courier.protocol.Json;
import io.courier.protocol.Message;
import io.courier.protocol.websocket.MessageKind;
import io.courier.protocol.websocket.WebSocket;
import io.courier.server.Server;
import io.courier.server.support.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GET /ws with Upgrade: websocket: RFC 6455's handshake, messages both ways in both kinds (replies in the kind of
 * their request, blocking handlers included), fragments and pings, and the closes: the client's, 1002 for an
 * unmasked frame, 1007 for text that is not UTF-8 JSON, 1009 for too large; and the Origin check.
 */
@Timeout(60)
class WebSocketEndpointTest {
    private static final Duration WAIT = TestServers.REPLY_TIMEOUT;
    private static Server server;

    @BeforeAll
    static void start(@TempDir Path files) throws Exception {
        server = TestServers.start(TestServers.config().filesDir(files).maxHeaderBytes(4096).maxBodyBytes(200_000)
                .wsAllowedOrigins(java.util.List.of("https://app.example.com")).build());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void theJdkWebSocketClientTalksToTheServerInTextAndBinary() throws Exception {
        JdkWebSocketCollector received = new JdkWebSocketCollector();
        java.net.http.WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/ws"), received).get(10, TimeUnit.SECONDS);
        ws.sendText("{\"type\":\"echo\",\"id\":1,\"text\":\"\u4f60\u597d\"}", true).get(10, TimeUnit.SECONDS);
        String reply = (String) received.next();
        assertEquals(Json.MAPPER.readTree("{\"type\":\"echo\",\"id\":1,\"text\":\"\u4f60\u597d\",\"ok\":true}"),
                Json.MAPPER.readTree(reply));

        Message echo = Message.of("echo").with("id", 2);
        byte[] body = new byte[70_000];
        Arrays.fill(body, (byte) 7);
        ws.sendBinary(MessageKind.BINARY.framing().encoder().encode(echo.withBody(body)), true).get(10, TimeUnit.SECONDS);
        byte[] frame = (byte[]) received.next();
        assertNotNull(frame, "a binary reply");
        ByteBuffer view = ByteBuffer.wrap(frame);
        int headerLength = view.getInt();
        int bodyLength = view.getInt();
        assertTrue(new String(frame, 8, headerLength, StandardCharsets.UTF_8).contains("\"ok\":true"));
        assertArrayEquals(body, Arrays.copyOfRange(frame, 8 + headerLength, 8 + headerLength + bodyLength));
        ws.sendClose(WebSocket.CLOSE_NORMAL, "done").get(10, TimeUnit.SECONDS);
    }

    @Test
    void repliesOfBlockingHandlersComeBackInTheKindOfTheirRequest() throws Exception {
        try (WsTestClient ws = WsTestClient.open(server.port())) {
            assertEquals(WebSocket.acceptKey("dGhlIHNhbXBsZSBub25jZQ=="), ws.handshake.header("sec-websocket-accept"));
            byte[] chunk = "hello, file".getBytes(StandardCharsets.UTF_8);
            ws.send(Message.of("file.put").with("id", 1).with("name", "kinds.txt").with("last", true).withBody(chunk),
                    MessageKind.BINARY);
            ws.sendText("{\"type\":\"file.list\",\"id\":2}");
            ws.sendText("{\"type\":\"ping\",\"id\":3}");
            ws.send(Message.of("file.get").with("id", 4).with("name", "kinds.txt"), MessageKind.BINARY);
            // ping is answered on the loop at once, the file.* replies by a worker: match them by id
            java.util.Map<Integer, WsTestClient.Event> byId = new java.util.HashMap<>();
            for (int i = 0; i < 4; i++) {
                WsTestClient.Event event = ws.next(WAIT);
                byId.put(event.message().id().asInt(), event);
            }
            assertEquals(MessageKind.BINARY, byId.get(1).kind());
            assertEquals(true, byId.get(1).message().header().path("complete").asBoolean());
            assertEquals(MessageKind.TEXT, byId.get(2).kind());
            assertEquals("kinds.txt", byId.get(2).message().header().path("files").path(0).path("name").asText());
            assertEquals(MessageKind.TEXT, byId.get(3).kind());
            assertEquals(MessageKind.BINARY, byId.get(4).kind());
            assertArrayEquals(chunk, byId.get(4).message().body());
        }
    }

    @Test
    void fragmentsArePutTogetherAndPingsAnswered() throws Exception {
        try (WsTestClient ws = WsTestClient.open(server.port())) {
            ws.sendFrame(WebSocket.OP_TEXT, false, "{\"type\":\"ec".getBytes(StandardCharsets.UTF_8));
            ws.sendFrame(WebSocket.OP_PING, true, "are you there".getBytes(StandardCharsets.UTF_8));
            ws.sendFrame(WebSocket.OP_CONTINUATION, true, "ho\",\"id\":9}".getBytes(StandardCharsets.UTF_8));
            WsTestClient.Event pong = ws.next(WAIT);
            assertEquals("pong are you there", pong.what() + " " + pong.text());
            assertEquals(9, ws.nextMessage(MessageKind.TEXT, WAIT).id().asInt());
        }
    }

    @Test
    void aBadMessageGetsAnErrorAndTheConnectionGoesOn() throws Exception {
        try (WsTestClient ws = WsTestClient.open(server.port())) {
            ws.sendText("{\"type\":\"ping\"}{\"type\":\"ping\"}");
            assertEquals("bad_request", ws.nextMessage(MessageKind.TEXT, WAIT).errorCode());
            ws.sendText("{\"type\":\"nope\",\"id\":1}");
            assertEquals("unknown_type", ws.nextMessage(MessageKind.TEXT, WAIT).errorCode());
            ws.sendText("{\"type\":\"ping\",\"id\":2}");
            assertEquals(true, ws.nextMessage(MessageKind.TEXT, WAIT).isOk());
        }
    }

    @Test
    void theClientsCloseIsEchoedAndTheServerClosesTheStream() throws Exception {
        try (WsTestClient ws = WsTestClient.open(server.port())) {
            ws.sendText("{\"type\":\"ping\",\"id\":1}");
            ws.sendFrame(WebSocket.OP_CLOSE, true, new byte[] {0x0f, (byte) 0xa0, 'b', 'y', 'e'}); // 4000
            assertEquals("ping", ws.nextMessage(MessageKind.TEXT, WAIT).type());
            WsTestClient.Event close = ws.next(WAIT);
            assertEquals("close", close.what());
            assertEquals(4000, close.closeCode());
            assertEquals("eof", ws.next(WAIT).what());
        }
    }

    @Test
    void anUnmaskedFrameCloses1002AfterAnErrorReply() throws Exception {
        assertClosedWith(io.courier.protocol.websocket.WebSocketEncoder.frame(WebSocket.OP_TEXT, true,
                "{\"type\":\"ping\"}".getBytes(StandardCharsets.UTF_8), null), "bad_request", WebSocket.CLOSE_PROTOCOL_ERROR);
    }

    @Test
    void textThatIsNotUtf8Closes1007() throws Exception {
        assertClosedWith(io.courier.protocol.websocket.WebSocketEncoder.frame(WebSocket.OP_TEXT, true,
                new byte[] {'{', '"', (byte) 0xff, '"', '}'}, WsTestClient.MASK), "malformed", WebSocket.CLOSE_INVALID_PAYLOAD);
    }

    @Test
    void aMessageOverTheLimitsCloses1009() throws Exception {
        byte[] big = ("{\"type\":\"echo\",\"pad\":\"" + "x".repeat(5000) + "\"}").getBytes(StandardCharsets.UTF_8);
        assertClosedWith(io.courier.protocol.websocket.WebSocketEncoder.frame(WebSocket.OP_TEXT, true, big,
                WsTestClient.MASK), "too_large", WebSocket.CLOSE_TOO_BIG);
    }

    private static void assertClosedWith(byte[] frame, String errorCode, int closeCode) throws Exception {
        try (WsTestClient ws = WsTestClient.open(server.port())) {
            ws.write(frame);
            Message error = ws.nextMessage(MessageKind.TEXT, WAIT);
            assertEquals(errorCode, error.errorCode(), error::toString);
            WsTestClient.Event close = ws.next(WAIT);
            assertEquals("close", close.what(), close::toString);
            assertEquals(closeCode, close.closeCode());
            assertEquals("eof", ws.next(WAIT).what());
        }
    }

    @Test
    void onlyTheOwnPageAndListedOriginsMayOpenAWebSocket() throws Exception {
        try (WsTestClient evil = WsTestClient.attempt(server.port(), "Origin: https://evil.example")) {
            assertEquals(403, evil.handshake.status());
            assertTrue(evil.handshake.text().contains("ws-allowed-origins"), evil.handshake.text());
        }
        try (WsTestClient own = WsTestClient.open(server.port(), "Origin: http://127.0.0.1")) {
            assertEquals(101, own.handshake.status(), "the page's own origin (the Host it was sent to)");
        }
        try (WsTestClient listed = WsTestClient.open(server.port(), "Origin: https://app.example.com")) {
            assertEquals(101, listed.handshake.status());
        }
    }

    @Test
    void theShutdownNoticeIsFollowedByAGoingAwayClose(@TempDir Path files) throws Exception {
        Server own = TestServers.start(TestServers.config().filesDir(files).build());
        try (WsTestClient ws = WsTestClient.open(own.port())) {
            ws.sendText("{\"type\":\"ping\",\"id\":1}");
            ws.nextMessage(MessageKind.TEXT, WAIT);
            CompletableFuture<Void> closing = CompletableFuture.runAsync(own::close);
            assertEquals("server.closing", ws.nextMessage(MessageKind.TEXT, WAIT).type());
            WsTestClient.Event close = ws.next(WAIT);
            assertEquals(WebSocket.CLOSE_GOING_AWAY, close.closeCode(), close::toString);
            ws.close();
            closing.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void anIdleWebSocketGetsATimeoutErrorThenClose1008(@TempDir Path files) throws Exception {
        try (Server own = TestServers.start(TestServers.config().filesDir(files).idleTimeout(Duration.ofSeconds(1))
                .build());
             WsTestClient ws = WsTestClient.open(own.port())) {
            Message timeout = ws.nextMessage(MessageKind.TEXT, WAIT);
            assertEquals("timeout", timeout.errorCode(), timeout::toString);
            WsTestClient.Event close = ws.next(WAIT);
            assertEquals(WebSocket.CLOSE_POLICY, close.closeCode(), close::toString);
            assertEquals("eof", ws.next(WAIT).what());
        }
    }

    @Test
    void anIdleHttpConnectionGets408(@TempDir Path files) throws Exception {
        try (Server own = TestServers.start(TestServers.config().filesDir(files).idleTimeout(Duration.ofSeconds(1))
                .build());
             HttpExchange http = new HttpExchange(own.port())) {
            assertEquals(200, http.write(HttpExchange.get("/healthz")).read().status());
            HttpExchange.Response timeout = http.read();
            assertEquals(408, timeout.status());
            assertTrue(timeout.text().contains("\"code\":\"timeout\""), timeout.text());
            assertTrue(http.atEof());
        }
    }
}
