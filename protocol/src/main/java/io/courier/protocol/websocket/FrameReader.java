package io.courier.protocol.websocket;

import io.courier.protocol.ErrorCode;
import io.courier.protocol.ProtocolException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Reads RFC 6455 frames incrementally: the 2 to 14 header bytes, then the payload, unmasked as it arrives and
 * handed on in pieces (data frames) or whole (control frames, at most 125 bytes). Checks what one frame alone
 * can break: reserved bits, unknown opcodes, a client frame without a mask, a fragmented or long control frame,
 * a 64-bit length with its top bit set. Message-level rules are {@link WebSocketDecoder}'s.
 *
 * <p>Unmasking is done in place in the caller's buffer (no copy), except in a read-only buffer, whose bytes are
 * copied first.
 */
final class FrameReader {
    /** What the frames hold, in stream order. */
    interface Frames {
        /** A data frame (text, binary or continuation) begins; its payload follows through {@link #data}. */
        void dataFrame(int opcode, boolean fin, long length) throws WebSocketClose;

        /** The next unmasked piece of the current data frame's payload (position..limit). */
        void data(ByteBuffer piece) throws WebSocketClose;

        /** The current data frame's payload is complete. */
        void dataFrameEnd() throws WebSocketClose;

        /** A whole control frame (close, ping, pong). */
        void control(int opcode, byte[] payload) throws WebSocketClose;

        /** True once nothing more is to be read (after a close frame, or the connection closed meanwhile). */
        boolean stopped();
    }

    private final boolean requireMask;
    private final byte[] header = new byte[14];
    private int headerFilled;
    private int headerNeeded = 2;

    private boolean inPayload;
    private int opcode;
    private long remaining;
    private final byte[] mask = new byte[4];
    private boolean masked;
    private long maskOffset;
    private byte[] control;
    private int controlFilled;
    private byte[] readOnlyCopy;

    FrameReader(boolean requireMask) {
        this.requireMask = requireMask;
    }

    /** Consumes {@code in} until it is empty or the frames say stop. */
    void read(ByteBuffer in, Frames frames) throws WebSocketClose {
        while (in.hasRemaining() && !frames.stopped()) {
            if (!inPayload) {
                readHeader(in, frames);
            } else {
                readPayload(in, frames);
            }
        }
    }

    private void readHeader(ByteBuffer in, Frames frames) throws WebSocketClose {
        while (headerFilled < headerNeeded && in.hasRemaining()) {
            header[headerFilled++] = in.get();
            if (headerFilled == 2) {
                int length7 = header[1] & 0x7f;
                headerNeeded = 2 + (length7 == 126 ? 2 : length7 == 127 ? 8 : 0) + ((header[1] & 0x80) != 0 ? 4 : 0);
            }
        }
        if (headerFilled < headerNeeded) {
            return;
        }
        startFrame(frames);
    }

    private void startFrame(Frames frames) throws WebSocketClose {
        boolean fin = (header[0] & 0x80) != 0;
        opcode = header[0] & 0x0f;
        masked = (header[1] & 0x80) != 0;
        int length7 = header[1] & 0x7f;
        int at = 2;
        long length = length7;
        if (length7 == 126) {
            length = ((header[2] & 0xffL) << 8) | (header[3] & 0xffL);
            at = 4;
        } else if (length7 == 127) {
            length = 0;
            for (int i = 2; i < 10; i++) {
                length = (length << 8) | (header[i] & 0xffL);
            }
            at = 10;
        }
        if (masked) {
            System.arraycopy(header, at, mask, 0, 4);
        }
        headerFilled = 0;
        headerNeeded = 2;
        check(fin, length);
        remaining = length;
        maskOffset = 0;
        inPayload = true;
        if (opcode >= WebSocket.OP_CLOSE) {
            control = new byte[(int) length];
            controlFilled = 0;
        } else {
            frames.dataFrame(opcode, fin, length);
        }
        if (length == 0) {
            endFrame(frames);
        }
    }

    private void check(boolean fin, long length) throws WebSocketClose {
        if ((header[0] & 0x70) != 0) {
            throw protocolError("a frame has reserved bits (RSV1-3) set, but no extension was negotiated");
        }
        boolean known = opcode <= WebSocket.OP_BINARY || (opcode >= WebSocket.OP_CLOSE && opcode <= WebSocket.OP_PONG);
        if (!known) {
            throw protocolError(String.format("opcode 0x%x is not a WebSocket frame type: use 0x1 text, 0x2 binary, "
                    + "0x0 continuation, 0x8 close, 0x9 ping or 0xA pong", opcode));
        }
        if (requireMask && !masked) {
            throw protocolError("a client frame is not masked: RFC 6455 5.1 requires every client frame to be "
                    + "masked");
        }
        if (length < 0) {
            throw protocolError("a frame's 64-bit payload length has its most significant bit set");
        }
        if (opcode >= WebSocket.OP_CLOSE && (!fin || length > WebSocket.MAX_CONTROL_PAYLOAD)) {
            throw protocolError("a control frame (close, ping, pong) must be one unfragmented frame of at most "
                    + WebSocket.MAX_CONTROL_PAYLOAD + " bytes");
        }
    }

    private void readPayload(ByteBuffer in, Frames frames) throws WebSocketClose {
        int take = (int) Math.min(in.remaining(), remaining);
        ByteBuffer piece = unmasked(in, take);
        remaining -= take;
        if (control != null) {
            piece.get(control, controlFilled, take);
            controlFilled += take;
        } else {
            frames.data(piece);
        }
        if (remaining == 0) {
            endFrame(frames);
        }
    }

    /** The next {@code take} bytes of {@code in}, unmasked; {@code in} moves past them. */
    private ByteBuffer unmasked(ByteBuffer in, int take) {
        ByteBuffer piece;
        if (in.isReadOnly()) {
            if (readOnlyCopy == null || readOnlyCopy.length < take) {
                readOnlyCopy = new byte[Math.max(take, 256)];
            }
            in.get(readOnlyCopy, 0, take);
            piece = ByteBuffer.wrap(readOnlyCopy, 0, take);
        } else {
            piece = in.duplicate();
            piece.limit(in.position() + take);
            in.position(in.position() + take);
        }
        if (masked) {
            unmask(piece, take);
        }
        return piece;
    }

    /** XORs the mask over {@code take} bytes from the piece's position, eight at a time where it can. */
    private void unmask(ByteBuffer piece, int take) {
        piece.order(ByteOrder.BIG_ENDIAN);
        int start = piece.position();
        int phase = (int) (maskOffset & 3);
        int done = 0;
        if (take >= 16) {
            long word = 0;
            for (int i = 0; i < 8; i++) {
                word = (word << 8) | (mask[(phase + i) & 3] & 0xffL);
            }
            for (; done + 8 <= take; done += 8) { // 8 is a multiple of 4: the mask's phase stays
                piece.putLong(start + done, piece.getLong(start + done) ^ word);
            }
        }
        for (; done < take; done++) {
            piece.put(start + done, (byte) (piece.get(start + done) ^ mask[(phase + done) & 3]));
        }
        maskOffset += take;
    }

    private void endFrame(Frames frames) throws WebSocketClose {
        inPayload = false;
        if (control != null) {
            byte[] payload = control;
            control = null;
            frames.control(opcode, payload);
        } else {
            frames.dataFrameEnd();
        }
    }

    /** True between the first header byte of a frame and the end of its payload. */
    boolean inFrame() {
        return headerFilled > 0 || inPayload;
    }

    /** Bytes held for the frame being read (its header, a control frame's payload). */
    int heldBytes() {
        return headerFilled + (control == null ? 0 : control.length);
    }

    static WebSocketClose protocolError(String sentence) {
        return new WebSocketClose(WebSocket.CLOSE_PROTOCOL_ERROR,
                new ProtocolException(ErrorCode.BAD_REQUEST, false, sentence));
    }
}
