package io.courier.server.web;

import io.courier.protocol.Limits;
import io.courier.protocol.Message;
import io.courier.protocol.MessageDecoder;
import io.courier.protocol.MessageEncoder;
import io.courier.protocol.ProtocolException;
import io.courier.protocol.websocket.MessageKind;
import io.courier.protocol.websocket.WebSocket;
import io.courier.protocol.websocket.WebSocketClose;
import io.courier.protocol.websocket.WebSocketDecoder;
import io.courier.protocol.websocket.WebSocketEncoder;
import io.courier.server.metrics.CloseReason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * One stream connection that started with HTTP: requests answered one after another (keep-alive, pipelining),
 * until {@code GET /ws} upgrades it. From then on it is a message connection like the others: each WebSocket
 * message is one message for the connection's sink, and each message the connection sends is one WebSocket
 * message, of the kind the request it answers came in (a reply to a text message is a text message, to a binary
 * message a binary message; events go in the kind the client used last). The close handshake is RFC 6455's:
 * the server's close frame is written last, after every reply ({@link #farewell}).
 *
 * <p>Loop thread only, owned by the connection's framing.
 */
public final class WebConnection {
    private static final Logger log = LoggerFactory.getLogger(WebConnection.class);

    /** What the connection lets its HTTP side do besides delivering messages. */
    public interface Wire {
        /** Queues bytes as they are: an HTTP response, a WebSocket control frame. */
        void write(byte[] bytes);

        /** Stops reading; the connection closes once everything queued is written. */
        void close(CloseReason reason);

        /** True while more unsent bytes are queued than the write high watermark allows. */
        boolean writeBacklogged();
    }

    private final WebSite site;
    private final Limits limits;
    private final Wire wire;
    private HttpRequestParser http = new HttpRequestParser();
    private WebSocketDecoder webSocket;
    private boolean done; // answered with Connection: close, or closing: the rest of the input is ignored

    /** The kind of the message being handled, then of the last one: replies and events go in it. */
    private MessageKind kind = MessageKind.TEXT;
    /** Kinds of the requests whose replies blocking handlers will send later, in arrival order. */
    private final ArrayDeque<MessageKind> pendingKinds = new ArrayDeque<>();
    private int closeCode;
    private boolean closeSent;
    private boolean released;

    public WebConnection(WebSite site, Limits limits, Wire wire) {
        this.site = site;
        this.limits = limits;
        this.wire = wire;
    }

    /**
     * True for a first byte that starts an HTTP request: G (GET), H (HEAD), P (POST, PUT, PATCH), D (DELETE),
     * O (OPTIONS). Only GET and HEAD are served; the others are answered 405 or 404, not unknown_protocol.
     */
    public static boolean startsHttp(byte first) {
        return first == 'G' || first == 'H' || first == 'P' || first == 'D' || first == 'O';
    }

    /** Answers the requests that are complete, or decodes WebSocket frames once upgraded. */
    public void decode(ByteBuffer in, MessageDecoder.Sink sink) throws ProtocolException {
        while (in.hasRemaining() && webSocket == null && !done) {
            HttpRequest request = http.read(in);
            if (request == null) {
                return;
            }
            WebSite.Answer answer = site.answer(request);
            wire.write(answer.bytes());
            if (answer.upgrade()) {
                http = null;
                webSocket = new WebSocketDecoder(limits, true);
            } else if (answer.close()) {
                done = true;
                wire.close(CloseReason.SERVER_CLOSED);
            } else if (wire.writeBacklogged()) {
                // Requests pipelined faster than their answers are read: answer no more of them, so memory stays
                // bounded (browsers never pipeline; this is a client that does not read).
                log.debug("{}: answers to pipelined requests are not being read; closing after them", wire);
                done = true;
                wire.close(CloseReason.SLOW_CONSUMER);
            }
        }
        if (webSocket != null && !done) {
            decodeFrames(in, sink);
        }
        if (done) {
            in.position(in.limit());
        }
    }

    private void decodeFrames(ByteBuffer in, MessageDecoder.Sink sink) {
        try {
            webSocket.decode(in, new WebSocketDecoder.Sink() {
                @Override
                public void onMessage(Message message, MessageKind messageKind) {
                    kind = messageKind;
                    sink.onMessage(message);
                }

                @Override
                public void onError(ProtocolException error, MessageKind messageKind) {
                    kind = messageKind;
                    sink.onError(error);
                }

                @Override
                public void onPing(byte[] payload) {
                    wire.write(WebSocketEncoder.pong(payload));
                }

                @Override
                public void onClose(int code, String reason) {
                    // Echo the client's code (RFC 6455 5.5.1) once every reply still due has been written.
                    closeCode = code == WebSocket.CLOSE_NO_STATUS ? WebSocket.CLOSE_NORMAL : code;
                    done = true;
                    wire.close(CloseReason.CLIENT_CLOSED);
                }
            });
        } catch (WebSocketClose e) {
            log.info("{}: {} (WebSocket close {}); closing after the reply", wire, e.error().code().wireName(),
                    e.closeCode());
            sink.onError(e.error());
            closeCode = e.closeCode();
            done = true;
            wire.close(CloseReason.PROTOCOL_ERROR);
        }
    }

    /** True once upgraded: the connection carries messages, so events and notices may be sent. */
    public boolean carriesMessages() {
        return webSocket != null;
    }

    /** The encoder of what is sent now: a WebSocket message of the current kind, or an HTTP error answer. */
    public MessageEncoder encoder() {
        return webSocket != null ? WebSocketEncoder.of(kind) : HttpErrorEncoder.INSTANCE;
    }

    /** The request being handled went to a blocking handler: its reply will take the request's kind. */
    public void replyPending() {
        pendingKinds.add(kind);
    }

    /** The encoder for the reply of the oldest blocking request (blocking replies come back in arrival order). */
    public MessageEncoder laterReplyEncoder() {
        MessageKind replyKind = pendingKinds.poll();
        return webSocket == null ? HttpErrorEncoder.INSTANCE : WebSocketEncoder.of(replyKind != null ? replyKind : kind);
    }

    /**
     * Every reply is queued and the connection is about to end: a WebSocket sends its close frame now, once, with
     * the code of what ended it.
     */
    public void farewell(CloseReason reason) {
        if (webSocket == null || closeSent) {
            return;
        }
        closeSent = true;
        int code = closeCode != 0 ? closeCode
                : reason == CloseReason.SHUTDOWN ? WebSocket.CLOSE_GOING_AWAY
                : reason == CloseReason.TIMEOUT ? WebSocket.CLOSE_POLICY
                : WebSocket.CLOSE_NORMAL;
        wire.write(WebSocketEncoder.close(code, reason.description()));
    }

    public boolean hasPartialMessage() {
        return webSocket != null ? webSocket.hasPartialMessage() : http != null && http.hasPartialHead();
    }

    public long bufferedBytes() {
        if (released) {
            return 0;
        }
        return webSocket != null ? webSocket.bufferedBytes() : http == null ? 0 : http.bufferedBytes();
    }

    public void close() {
        released = true;
        if (webSocket != null) {
            webSocket.close();
        }
        http = null;
        done = true;
    }
}
