package io.courier.bench.wire;

import java.util.Arrays;

/**
 * The payload every protocol carries, ASCII so it is a valid RESP bulk, NATS payload and JSON string alike:
 * 16 hex digits of sequence number, 16 of {@link System#nanoTime} at (intended) publish, then {@code x} padding.
 * One array is reused: every codec copies it into its output at once.
 */
final class Payloads {
    static final int MIN_BYTES = 32;
    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final byte[] payload;

    Payloads(int bytes) {
        if (bytes < MIN_BYTES) {
            throw new IllegalArgumentException("payloads are at least " + MIN_BYTES + " bytes, got " + bytes);
        }
        payload = new byte[bytes];
        Arrays.fill(payload, (byte) 'x');
    }

    int length() {
        return payload.length;
    }

    /** The payload for message {@code seq} stamped with {@code nanos}; valid until the next call. */
    byte[] stamp(long seq, long nanos) {
        hex(payload, 0, seq);
        hex(payload, 16, nanos);
        return payload;
    }

    static long seq(byte[] bytes, int offset) {
        return parseHex(bytes, offset);
    }

    static long nanos(byte[] bytes, int offset) {
        return parseHex(bytes, offset + 16);
    }

    private static void hex(byte[] target, int at, long value) {
        for (int i = 15; i >= 0; i--) {
            target[at + i] = HEX[(int) (value & 0xf)];
            value >>>= 4;
        }
    }

    private static long parseHex(byte[] bytes, int at) {
        long value = 0;
        for (int i = 0; i < 16; i++) {
            int c = bytes[at + i];
            int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
            if (digit < 0) {
                return -1;
            }
            value = (value << 4) | digit;
        }
        return value;
    }
}
