package io.courier.server.web;

import io.courier.protocol.Limits;
import io.courier.protocol.Message;
import io.courier.protocol.ProtocolException;
import io.courier.protocol.websocket.MessageKind;
import io.courier.protocol.websocket.WebSocket;
import io.courier.protocol.websocket.WebSocketClose;
import io.courier.protocol.websocket.WebSocketDecoder;
import io.courier.protocol.websocket.WebSocketEncoder;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;

/**
 * A raw WebSocket client for tests: the upgrade by hand, masked frames of any shape (broken ones too), and what
 * the server sends back as events, decoded with the protocol's decoder in client mode.
 */
final class WsTestClient implements AutoCloseable {
    static final byte[] MASK = {1, 2, 3, 4};

    /** One thing the server sent: a message (with its kind), a pong, a close frame, or the end of the stream. */
    record Event(String what, MessageKind kind, Message message, int closeCode, String text) {
        @Override
        public String toString() {
            return what + (kind != null ? " " + kind : "") + (message != null ? " " + message : "")
                    + (closeCode != 0 ? " " + closeCode : "") + (text != null ? " " + text : "");
        }
    }

    private final HttpExchange http;
    private final InputStream in;
    private final WebSocketDecoder decoder = new WebSocketDecoder(new Limits(Limits.ABSOLUTE_MAX_HEADER_BYTES,
            64 << 20), false);
    private final ArrayDeque<Event> events = new ArrayDeque<>();
    final HttpExchange.Response handshake;

    private WsTestClient(int port, String... headers) throws IOException {
        this(new HttpExchange(port), headers);
    }

    private WsTestClient(HttpExchange http, String... headers) throws IOException {
        this.http = http;
        String[] all = new String[headers.length + 4];
        all[0] = "Upgrade: websocket";
        all[1] = "Connection: Upgrade";
        all[2] = "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==";
        all[3] = "Sec-WebSocket-Version: 13";
        System.arraycopy(headers, 0, all, 4, headers.length);
        http.write(HttpExchange.get("/ws", all));
        handshake = http.read();
        in = http.socket.getInputStream();
    }

    /** Connects and upgrades; fails unless the server answered 101. */
    static WsTestClient open(int port, String... headers) throws IOException {
        return upgraded(new WsTestClient(port, headers));
    }

    /** Upgrades an HTTP exchange already open (over TLS for wss:); fails unless the server answered 101. */
    static WsTestClient upgrade(HttpExchange http, String... headers) throws IOException {
        return upgraded(new WsTestClient(http, headers));
    }

    private static WsTestClient upgraded(WsTestClient client) throws IOException {
        if (client.handshake.status() != 101) {
            client.close();
            throw new IOException("upgrade refused: " + client.handshake.status() + " " + client.handshake.text());
        }
        return client;
    }

    /** Connects and tries to upgrade, whatever the answer. */
    static WsTestClient attempt(int port, String... headers) throws IOException {
        return new WsTestClient(port, headers);
    }

    WsTestClient write(byte[] bytes) throws IOException {
        http.socket.getOutputStream().write(bytes);
        return this;
    }

    WsTestClient sendFrame(int opcode, boolean fin, byte[] payload) throws IOException {
        return write(WebSocketEncoder.frame(opcode, fin, payload, MASK));
    }

    WsTestClient sendText(String json) throws IOException {
        return sendFrame(WebSocket.OP_TEXT, true, json.getBytes(StandardCharsets.UTF_8));
    }

    /** One message as one masked WebSocket message of {@code kind}. */
    WsTestClient send(Message message, MessageKind kind) throws IOException {
        ByteBuffer encoded = kind.framing().encoder().encode(message);
        byte[] payload = new byte[encoded.remaining()];
        encoded.get(payload);
        return sendFrame(kind == MessageKind.TEXT ? WebSocket.OP_TEXT : WebSocket.OP_BINARY, true, payload);
    }

    /** The next event, waiting up to {@code timeout}. */
    Event next(Duration timeout) throws IOException {
        http.socket.setSoTimeout((int) timeout.toMillis());
        byte[] buffer = new byte[64 * 1024];
        while (events.isEmpty()) {
            int n;
            try {
                n = in.read(buffer);
            } catch (SocketTimeoutException e) {
                throw new IOException("nothing from the server within " + timeout, e);
            }
            if (n < 0) {
                return new Event("eof", null, null, 0, null);
            }
            try {
                decoder.decode(ByteBuffer.wrap(buffer, 0, n), new Recorder());
            } catch (WebSocketClose e) {
                throw new IOException("the server sent a broken frame: " + e.getMessage(), e);
            }
        }
        return events.poll();
    }

    /** The next message, skipping nothing: fails on any other event. */
    Message nextMessage(MessageKind expectedKind, Duration timeout) throws IOException {
        Event event = next(timeout);
        if (!event.what().equals("message") || event.kind() != expectedKind) {
            throw new AssertionError("expected a " + expectedKind + " message, got " + event);
        }
        return event.message();
    }

    private final class Recorder implements WebSocketDecoder.Sink {
        @Override
        public void onMessage(Message message, MessageKind kind) {
            events.add(new Event("message", kind, message, 0, null));
        }

        @Override
        public void onError(ProtocolException error, MessageKind kind) {
            events.add(new Event("undecodable", kind, null, 0, error.getMessage()));
        }

        @Override
        public void onPing(byte[] payload) {
            events.add(new Event("ping", null, null, 0, new String(payload, StandardCharsets.UTF_8)));
        }

        @Override
        public void onPong(byte[] payload) {
            events.add(new Event("pong", null, null, 0, new String(payload, StandardCharsets.UTF_8)));
        }

        @Override
        public void onClose(int code, String reason) {
            events.add(new Event("close", null, null, code, reason));
        }
    }

    @Override
    public void close() throws IOException {
        http.close();
    }
}
