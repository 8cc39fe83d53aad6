package io.courier.protocol.websocket;

import io.courier.protocol.Limits;
import io.courier.protocol.Message;
import io.courier.protocol.ProtocolException;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Test helpers for the WebSocket decoder: masked client frames, chunkings, and feeding that records every event
 * as a comparable line while checking what must hold after every call (only {@link WebSocketClose} escapes, with a
 * code RFC 6455 allows for it; memory within one message's limit; nothing held between messages).
 */
final class WsStreams {
    static final byte[] MASK = {0x37, (byte) 0xfa, 0x21, 0x3d};

    private WsStreams() {
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** A masked client frame. */
    static byte[] clientFrame(int opcode, boolean fin, byte[] payload) {
        return WebSocketEncoder.frame(opcode, fin, payload, MASK);
    }

    static byte[] text(String json) {
        return clientFrame(WebSocket.OP_TEXT, true, utf8(json));
    }

    static byte[] binary(String headerJson, byte[] body) {
        byte[] header = utf8(headerJson);
        ByteBuffer frame = ByteBuffer.allocate(8 + header.length + body.length);
        frame.putInt(header.length).putInt(body.length).put(header).put(body);
        return clientFrame(WebSocket.OP_BINARY, true, frame.array());
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    static List<byte[]> randomChunks(byte[] stream, Random random, int maxChunk) {
        List<byte[]> chunks = new ArrayList<>();
        int at = 0;
        while (at < stream.length) {
            int size = Math.min(stream.length - at, 1 + random.nextInt(maxChunk));
            chunks.add(Arrays.copyOfRange(stream, at, at + size));
            at += size;
        }
        return chunks;
    }

    static List<byte[]> byteByByte(byte[] stream) {
        List<byte[]> chunks = new ArrayList<>();
        for (byte b : stream) {
            chunks.add(new byte[] {b});
        }
        return chunks;
    }

    /** Feeds the chunks through heap, direct and read-only buffers in turn; returns the events as lines. */
    static List<String> feed(Limits limits, List<byte[]> chunks) {
        WebSocketDecoder decoder = new WebSocketDecoder(limits, true);
        Recorder recorder = new Recorder();
        long maxHeld = 8L + limits.maxHeaderBytes() + limits.maxBodyBytes() + 14 + WebSocket.MAX_CONTROL_PAYLOAD;
        int index = 0;
        for (byte[] chunk : chunks) {
            int kind = index++ % 3;
            ByteBuffer buffer = kind == 1 ? ByteBuffer.allocateDirect(chunk.length + 5) : ByteBuffer.allocate(chunk.length + 5);
            buffer.position(3);
            buffer.put(chunk).flip().position(3);
            if (kind == 2) {
                buffer = buffer.asReadOnlyBuffer();
            }
            try {
                decoder.decode(buffer, recorder);
            } catch (WebSocketClose e) {
                assertTrue(e.closeCode() == WebSocket.CLOSE_PROTOCOL_ERROR || e.closeCode() == WebSocket.CLOSE_TOO_BIG
                        || e.closeCode() == WebSocket.CLOSE_INVALID_PAYLOAD, "close code " + e.closeCode());
                assertTrue(!e.error().getMessage().isBlank());
                assertTrue(WebSocketEncoder.of(MessageKind.TEXT).encode(e.error().toReply()).hasRemaining());
                recorder.lines.add("thrown " + e.closeCode() + " " + e.error().code().wireName());
                return recorder.lines;
            }
            assertEquals(buffer.limit(), buffer.position(), "decode consumes the whole buffer");
            long held = decoder.bufferedBytes();
            assertTrue(held >= 0 && held <= maxHeld, "holds " + held + " bytes, more than one message may");
            if (!decoder.hasPartialMessage()) {
                assertEquals(0, held, "nothing is held between messages");
            }
        }
        return recorder.lines;
    }

    /** Records what the decoder reported, one line per event. */
    static final class Recorder implements WebSocketDecoder.Sink {
        final List<String> lines = new ArrayList<>();
        final List<Message> messages = new ArrayList<>();

        @Override
        public void onMessage(Message message, MessageKind kind) {
            messages.add(message);
            lines.add("message " + kind + " " + message.header() + " body="
                    + Base64.getEncoder().encodeToString(message.body()));
        }

        @Override
        public void onError(ProtocolException error, MessageKind kind) {
            assertTrue(error.inSync());
            lines.add("error " + kind + " " + error.code().wireName() + " " + error.requestType());
        }

        @Override
        public void onPing(byte[] payload) {
            lines.add("ping " + HexFormat.of().formatHex(payload));
        }

        @Override
        public void onClose(int code, String reason) {
            lines.add("close " + code + " " + reason);
        }
    }
}
