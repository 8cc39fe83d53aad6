package io.courier.protocol.websocket;

import io.courier.protocol.ByteSink;
import io.courier.protocol.Message;
import io.courier.protocol.MessageEncoder;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes WebSocket frames: each Courier message as one unfragmented data message of a kind (the server's frames
 * are never masked), and control frames. Clients (tests, tools) mask with {@link #frame(int, boolean, byte[],
 * byte[])}.
 */
public final class WebSocketEncoder implements MessageEncoder {
    private static final WebSocketEncoder TEXT = new WebSocketEncoder(MessageKind.TEXT);
    private static final WebSocketEncoder BINARY = new WebSocketEncoder(MessageKind.BINARY);

    private final MessageKind kind;

    private WebSocketEncoder(MessageKind kind) {
        this.kind = kind;
    }

    /** The encoder of one kind (stateless, shareable): a message as one text or one binary WebSocket message. */
    public static MessageEncoder of(MessageKind kind) {
        return kind == MessageKind.TEXT ? TEXT : BINARY;
    }

    @Override
    public void encode(Message message, ByteSink sink) {
        Segments payload = new Segments();
        kind.framing().encoder().encode(message, payload);
        if (kind == MessageKind.TEXT) {
            payload.dropTrailingNewline(); // one message per WebSocket message: no line separator needed
        }
        sink.write(header(kind.opcode(), true, payload.length, null), 0, headerLength(payload.length, false));
        payload.writeTo(sink);
    }

    /** A close frame with a code and a reason (cut to fit the 125 bytes a control frame may carry). */
    public static byte[] close(int code, String reason) {
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        int length = Math.min(text.length, WebSocket.MAX_CONTROL_PAYLOAD - 2);
        while (length < text.length && length > 0 && (text[length] & 0xc0) == 0x80) {
            length--; // never cut inside a UTF-8 sequence
        }
        byte[] payload = new byte[2 + length];
        payload[0] = (byte) (code >>> 8);
        payload[1] = (byte) code;
        System.arraycopy(text, 0, payload, 2, length);
        return frame(WebSocket.OP_CLOSE, true, payload, null);
    }

    /** A pong answering a ping with {@code payload}. */
    public static byte[] pong(byte[] payload) {
        return frame(WebSocket.OP_PONG, true, payload, null);
    }

    /** One frame; masked with {@code mask} (4 bytes) when it is not null, as a client must send. */
    public static byte[] frame(int opcode, boolean fin, byte[] payload, byte[] mask) {
        int headerLength = headerLength(payload.length, mask != null);
        byte[] frame = new byte[headerLength + payload.length];
        System.arraycopy(header(opcode, fin, payload.length, mask), 0, frame, 0, headerLength);
        for (int i = 0; i < payload.length; i++) {
            frame[headerLength + i] = mask == null ? payload[i] : (byte) (payload[i] ^ mask[i & 3]);
        }
        return frame;
    }

    private static int headerLength(long payloadLength, boolean masked) {
        int length = payloadLength < 126 ? 2 : payloadLength <= 0xffff ? 4 : 10;
        return masked ? length + 4 : length;
    }

    private static byte[] header(int opcode, boolean fin, long payloadLength, byte[] mask) {
        byte[] header = new byte[14];
        header[0] = (byte) ((fin ? 0x80 : 0) | opcode);
        int maskBit = mask != null ? 0x80 : 0;
        int at;
        if (payloadLength < 126) {
            header[1] = (byte) (maskBit | payloadLength);
            at = 2;
        } else if (payloadLength <= 0xffff) {
            header[1] = (byte) (maskBit | 126);
            header[2] = (byte) (payloadLength >>> 8);
            header[3] = (byte) payloadLength;
            at = 4;
        } else {
            header[1] = (byte) (maskBit | 127);
            for (int i = 0; i < 8; i++) {
                header[2 + i] = (byte) (payloadLength >>> (56 - 8 * i));
            }
            at = 10;
        }
        if (mask != null) {
            System.arraycopy(mask, 0, header, at, 4);
        }
        return header;
    }

    /**
     * A message's encoding held until its length is known (the frame header comes first): small writes are
     * copied, large bodies kept by reference and passed on shared, as the framing's encoder gave them.
     */
    private static final class Segments implements ByteSink {
        private final List<ByteBuffer> parts = new ArrayList<>(3);
        private final List<Boolean> shared = new ArrayList<>(3);
        private ByteBuffer open;
        long length;

        @Override
        public void write(byte[] source, int offset, int count) {
            if (open == null || open.remaining() < count) {
                ByteBuffer grown = ByteBuffer.allocate(Math.max(256, (open == null ? 0 : open.position()) * 2 + count));
                if (open != null) {
                    open.flip();
                    grown.put(open);
                    parts.set(parts.size() - 1, grown);
                } else {
                    parts.add(grown);
                    shared.add(false);
                }
                open = grown;
            }
            open.put(source, offset, count);
            length += count;
        }

        @Override
        public void writeShared(byte[] source) {
            parts.add(ByteBuffer.wrap(source));
            shared.add(true);
            open = null;
            length += source.length;
        }

        void dropTrailingNewline() {
            if (open != null && open == parts.get(parts.size() - 1) && open.position() > 0
                    && open.get(open.position() - 1) == '\n') {
                open.position(open.position() - 1);
                length--;
            }
        }

        void writeTo(ByteSink sink) {
            for (int i = 0; i < parts.size(); i++) {
                ByteBuffer part = parts.get(i);
                if (shared.get(i)) {
                    sink.writeShared(part.array());
                } else {
                    sink.write(part.array(), 0, part.position());
                }
            }
        }
    }
}
