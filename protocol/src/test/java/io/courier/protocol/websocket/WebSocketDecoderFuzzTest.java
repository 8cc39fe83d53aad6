package io.courier.protocol.websocket;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.courier.protocol.Limits;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Coverage-guided fuzzing (Jazzer) of what a WebSocket client sends after the upgrade: frames built from the
 * fuzzer's choices (opcode, fin, reserved bits, mask or not, payload, often a valid Courier message inside), with
 * raw bytes mixed in. Whatever they are, only {@link WebSocketClose} escapes, memory stays within one message's
 * limit, and the events are the same fed whole, in random chunks and one byte at a time ({@link WsStreams#feed}).
 * {@code mvn verify} replays {@code WebSocketDecoderFuzzTestInputs/} and fuzzes it for a few seconds.
 */
class WebSocketDecoderFuzzTest {
    private static final int BYTE_BY_BYTE_MAX = 2048;

    @FuzzTest(maxDuration = "10s")
    void anyFramesAClientSends(FuzzedDataProvider data) {
        Limits limits = limits(data.consumeInt(0, 3));
        long seed = data.consumeLong();
        byte[] stream = frames(data);
        List<String> whole = WsStreams.feed(limits, List.of(stream));
        Random random = new Random(seed);
        assertEquals(whole, WsStreams.feed(limits, WsStreams.randomChunks(stream, random, 1 + random.nextInt(64))),
                "random chunks, seed " + seed);
        if (stream.length <= BYTE_BY_BYTE_MAX) {
            assertEquals(whole, WsStreams.feed(limits, WsStreams.byteByByte(stream)), "byte by byte");
        }
    }

    /** The defaults, or limits small enough for short inputs to reach their edges. */
    private static Limits limits(int choice) {
        return choice == 0 ? Limits.DEFAULTS : new Limits(2 + 30 * (choice - 1), 50 * (choice - 1));
    }

    private static byte[] frames(FuzzedDataProvider data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int count = data.consumeInt(0, 8);
        for (int i = 0; i < count && data.remainingBytes() > 0; i++) {
            int shape = data.consumeInt(0, 9);
            if (shape == 0) {
                out.writeBytes(data.consumeBytes(data.consumeInt(0, 40))); // raw bytes
                continue;
            }
            int opcode = shape <= 3 ? WebSocket.OP_TEXT : shape <= 5 ? WebSocket.OP_BINARY
                    : shape == 6 ? WebSocket.OP_CONTINUATION : shape == 7 ? WebSocket.OP_PING
                    : shape == 8 ? WebSocket.OP_CLOSE : data.consumeInt(0, 15);
            boolean fin = data.consumeInt(0, 4) != 0;
            byte[] payload = payload(data, opcode);
            byte[] mask = data.consumeInt(0, 20) == 0 ? null : data.consumeBytes(4);
            if (mask != null && mask.length < 4) {
                mask = WsStreams.MASK;
            }
            byte[] frame = WebSocketEncoder.frame(opcode, fin, payload, mask);
            if (data.consumeInt(0, 30) == 0) {
                frame[0] |= 0x40; // a reserved bit
            }
            out.writeBytes(frame);
        }
        out.writeBytes(data.consumeRemainingAsBytes());
        return out.toByteArray();
    }

    private static byte[] payload(FuzzedDataProvider data, int opcode) {
        int choice = data.consumeInt(0, 3);
        if (opcode == WebSocket.OP_TEXT && choice > 0) {
            return WsStreams.utf8("{\"type\":\"" + data.consumeAsciiString(8) + "\",\"id\":" + data.consumeInt()
                    + (choice == 2 ? ",\"x\":\"" + data.consumeString(20) + "\"" : "") + "}");
        }
        if (opcode == WebSocket.OP_BINARY && choice > 0) {
            byte[] header = WsStreams.utf8("{\"type\":\"" + data.consumeAsciiString(8) + "\"}");
            byte[] body = data.consumeBytes(data.consumeInt(0, 200));
            java.nio.ByteBuffer frame = java.nio.ByteBuffer.allocate(8 + header.length + body.length);
            frame.putInt(header.length).putInt(choice == 3 ? data.consumeInt() : body.length).put(header).put(body);
            return frame.array();
        }
        if (opcode == WebSocket.OP_CLOSE && choice > 0) {
            return WsStreams.concat(new byte[] {(byte) (data.consumeInt(999, 1012) >>> 8),
                    (byte) data.consumeInt(0, 255)}, data.consumeBytes(data.consumeInt(0, 10)));
        }
        return data.consumeBytes(data.consumeInt(0, opcode >= 8 ? 130 : 300));
    }
}
