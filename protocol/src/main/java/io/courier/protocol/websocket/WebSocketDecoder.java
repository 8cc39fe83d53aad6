package io.courier.protocol.websocket;

import io.courier.protocol.ErrorCode;
import io.courier.protocol.Limits;
import io.courier.protocol.Message;
import io.courier.protocol.MessageDecoder;
import io.courier.protocol.ProtocolException;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes a client's WebSocket frames into Courier messages. Each data message (its fragments reassembled) must
 * carry exactly one message of its kind's framing: a text message one JSON object, a binary message one binary
 * frame. Its payload is fed, as it arrives, to a fresh decoder of that framing, so memory stays within the same
 * limits as on a plain stream: a text message at most {@code max-header-bytes}, a binary one at most 8 +
 * {@code max-header-bytes} + {@code max-body-bytes}, refused with close 1009 from its frame headers before any of
 * it is held. The decoded message is handed on only when the WebSocket message ends, so the result never depends
 * on how the bytes were chunked.
 *
 * <p>What stays in sync (each WebSocket message stands alone): a message that is empty, holds more than one
 * message or ends inside one gets {@code bad_request}; the framing's own in-sync errors pass through. What ends the
 * connection ({@link WebSocketClose}): a broken frame (1002), bytes its framing cannot parse, invalid UTF-8
 * included (1007), too large (1009). After the client's close frame the rest of its bytes are ignored.
 *
 * <p>Unmasks in place: the bytes of {@code in} are overwritten (unless it is read-only). One connection, one thread.
 */
public final class WebSocketDecoder {

    /** What the frames said, in stream order. */
    public interface Sink {
        /** One whole message, and the kind it came in (its reply goes back in the same kind). */
        void onMessage(Message message, MessageKind kind);

        /** A message that could not be served; the connection goes on. */
        void onError(ProtocolException error, MessageKind kind);

        /** A ping: answer with a pong carrying the same payload. */
        void onPing(byte[] payload);

        /** A pong (a client of the server's pings would care; the server ignores them). */
        default void onPong(byte[] payload) {
        }

        /** The client's close frame ({@link WebSocket#CLOSE_NO_STATUS} when it had no code): close in turn. */
        void onClose(int code, String reason);
    }

    private final Limits limits;
    private final FrameReader reader;
    private final Frames frames = new Frames();

    /** The data message being received, or null between messages. */
    private MessageKind kind;
    private long messageBytes;
    private MessageDecoder inner;
    private final Collected collected = new Collected();
    private boolean closed;
    private Sink sink;

    /** @param requireMask true on the server: every client frame must be masked */
    public WebSocketDecoder(Limits limits, boolean requireMask) {
        this.limits = limits;
        this.reader = new FrameReader(requireMask);
    }

    /** The largest payload a message of {@code kind} may have under {@code limits}. */
    public static long maxPayload(MessageKind kind, Limits limits) {
        return kind == MessageKind.TEXT ? limits.maxHeaderBytes()
                : 8L + limits.maxHeaderBytes() + limits.maxBodyBytes();
    }

    /**
     * Consumes all of {@code in} and reports what it completes to {@code sink}.
     *
     * @throws WebSocketClose the connection must close with its code, after its error reply; the decoder is then
     *                        unusable
     */
    public void decode(ByteBuffer in, Sink sink) throws WebSocketClose {
        if (closed) {
            in.position(in.limit());
            return;
        }
        this.sink = sink;
        try {
            reader.read(in, frames);
        } catch (WebSocketClose e) {
            closed = true;
            release();
            throw e;
        } finally {
            this.sink = null;
        }
        if (closed) {
            in.position(in.limit()); // bytes after the client's close frame
        }
    }

    /** True while a frame or a fragmented message is partly received (for the frame timeout). */
    public boolean hasPartialMessage() {
        return kind != null || reader.inFrame();
    }

    /** An upper bound of the bytes held for what is partly received. */
    public long bufferedBytes() {
        return messageBytes + reader.heldBytes();
    }

    /** Releases the framing decoder of a message still partial. */
    public void close() {
        closed = true;
        release();
    }

    private void release() {
        if (inner != null) {
            inner.close();
            inner = null;
        }
        collected.clear();
        kind = null;
        messageBytes = 0;
    }

    private final class Frames implements FrameReader.Frames {
        private boolean fin;

        @Override
        public void dataFrame(int opcode, boolean finalFrame, long length) throws WebSocketClose {
            if (opcode == WebSocket.OP_CONTINUATION && kind == null) {
                throw FrameReader.protocolError("a continuation frame arrived, but no fragmented message was "
                        + "started (send a text or binary frame first)");
            }
            if (opcode != WebSocket.OP_CONTINUATION) {
                if (kind != null) {
                    throw FrameReader.protocolError("a new " + MessageKind.of(opcode).name().toLowerCase()
                            + " frame arrived before the fragmented message was finished (continue it with "
                            + "opcode 0x0)");
                }
                kind = MessageKind.of(opcode);
                inner = kind.framing().newDecoder(limits);
            }
            fin = finalFrame;
            long max = maxPayload(kind, limits);
            if (messageBytes + length > max) {
                throw new WebSocketClose(WebSocket.CLOSE_TOO_BIG, new ProtocolException(ErrorCode.TOO_LARGE, false,
                        "a " + kind.name().toLowerCase() + " message of more than " + max + " bytes ("
                                + (kind == MessageKind.TEXT ? "max-header-bytes" : "8 + max-header-bytes + "
                                + "max-body-bytes") + ") cannot be served; send smaller messages"));
            }
            messageBytes += length;
        }

        @Override
        public void data(ByteBuffer piece) throws WebSocketClose {
            feed(piece);
        }

        @Override
        public void dataFrameEnd() throws WebSocketClose {
            if (fin) {
                endMessage();
            }
        }

        @Override
        public void control(int opcode, byte[] payload) throws WebSocketClose {
            if (opcode == WebSocket.OP_PING) {
                sink.onPing(payload);
            } else if (opcode == WebSocket.OP_CLOSE) {
                closeFrame(payload);
            } else {
                sink.onPong(payload);
            }
        }

        @Override
        public boolean stopped() {
            return closed;
        }
    }

    private void feed(ByteBuffer piece) throws WebSocketClose {
        try {
            inner.decode(piece, collected);
        } catch (ProtocolException e) {
            int code = e.code() == ErrorCode.TOO_LARGE ? WebSocket.CLOSE_TOO_BIG : WebSocket.CLOSE_INVALID_PAYLOAD;
            throw new WebSocketClose(code, e);
        }
    }

    private void endMessage() throws WebSocketClose {
        MessageKind ended = kind;
        if (ended == MessageKind.TEXT) {
            // JSON text holds back an unfinished escape for the next read; the message ends here, so make it act.
            feed(ByteBuffer.wrap(new byte[] {'\n'}));
        }
        boolean partial = inner.hasPartialMessage();
        List<Object> results = new ArrayList<>(collected.results);
        release();
        for (Object result : results) {
            if (result instanceof ProtocolException && ((ProtocolException) result).code() == ErrorCode.TOO_LARGE) {
                throw new WebSocketClose(WebSocket.CLOSE_TOO_BIG, (ProtocolException) result);
            }
        }
        String what = ended == MessageKind.TEXT ? "a text message carries exactly one JSON object"
                : "a binary message carries exactly one binary frame (u32 H, u32 B, header, body)";
        if (partial) {
            sink.onError(new ProtocolException(ErrorCode.BAD_REQUEST, true, "the message ended in the middle of "
                    + "what it carried: " + what), ended);
        } else if (results.size() != 1) {
            sink.onError(new ProtocolException(ErrorCode.BAD_REQUEST, true, (results.isEmpty() ? "an empty message"
                    : "a message carrying " + results.size()) + " was not served: " + what), ended);
        } else if (results.get(0) instanceof Message) {
            sink.onMessage((Message) results.get(0), ended);
        } else {
            sink.onError((ProtocolException) results.get(0), ended);
        }
    }

    private void closeFrame(byte[] payload) throws WebSocketClose {
        if (payload.length == 1) {
            throw FrameReader.protocolError("a close frame's payload is a 2-byte code and a reason, never 1 byte");
        }
        int code = payload.length == 0 ? WebSocket.CLOSE_NO_STATUS : ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
        if (payload.length > 0 && !WebSocket.isValidCloseCode(code)) {
            throw FrameReader.protocolError("close code " + code + " may not be sent (RFC 6455 7.4)");
        }
        String reason;
        try {
            reason = payload.length <= 2 ? "" : StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(payload, 2, payload.length - 2)).toString();
        } catch (CharacterCodingException e) {
            throw new WebSocketClose(WebSocket.CLOSE_INVALID_PAYLOAD, new ProtocolException(ErrorCode.MALFORMED,
                    false, "a close frame's reason is not valid UTF-8"));
        }
        closed = true;
        release();
        sink.onClose(code, reason);
    }

    /** What the framing decoder of the current message reported: messages and in-sync errors, in order. */
    private static final class Collected implements MessageDecoder.Sink {
        final List<Object> results = new ArrayList<>(1);

        @Override
        public void onMessage(Message message) {
            results.add(message);
        }

        @Override
        public void onError(ProtocolException error) {
            results.add(error);
        }

        void clear() {
            results.clear();
        }
    }
}
