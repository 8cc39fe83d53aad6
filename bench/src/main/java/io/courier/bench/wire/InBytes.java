package io.courier.bench.wire;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Input not yet parsed (RESP and NATS lines, Courier frames): bytes are appended as they arrive and a parser takes
 * whole commands from the front, leaving a partial one for the next read. Parsers re-read a partial command from
 * its start when more bytes come; commands are short (or their length is known up front), so that is cheap.
 */
final class InBytes {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    byte[] bytes = new byte[16 * 1024];
    int start;
    int end;

    void append(ByteBuffer in) {
        int length = in.remaining();
        if (end + length > bytes.length) {
            System.arraycopy(bytes, start, bytes, 0, end - start);
            end -= start;
            start = 0;
            if (end + length > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, end + length));
            }
        }
        in.get(bytes, end, length);
        end += length;
    }

    /** Index of the {@code \r} of the first CRLF at or after {@code from}, or -1 when none is complete yet. */
    int lineEnd(int from) {
        for (int i = from; i + 1 < end; i++) {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** Parses a signed decimal number in {@code [from, to)}; throws on anything else. */
    long decimal(int from, int to) {
        if (from >= to) {
            throw new IllegalStateException("empty number");
        }
        boolean negative = bytes[from] == '-';
        long value = 0;
        for (int i = negative ? from + 1 : from; i < to; i++) {
            int digit = bytes[i] - '0';
            if (digit < 0 || digit > 9) {
                throw new IllegalStateException("not a number: " + text(from, to));
            }
            value = value * 10 + digit;
        }
        return negative ? -value : value;
    }

    boolean equalsAscii(int from, int to, String text) {
        if (to - from != text.length()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (Character.toUpperCase((char) bytes[from + i]) != Character.toUpperCase(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** The index of the first {@code pattern} within {@code [from, to)}, or -1. */
    int indexOf(byte[] pattern, int from, int to) {
        for (int i = indexOf(pattern[0], from, to); i >= 0 && i + pattern.length <= to;
             i = indexOf(pattern[0], i + 1, to)) {
            if (matches(pattern, i)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The index of the first byte {@code b} within {@code [from, to)}, or -1: eight bytes at a time (the zero-byte
     * test of "Bit Twiddling Hacks" on the word XOR b in every byte), a byte at a time only for the tail. The client
     * finds a delivery's payload this way; byte by byte, the search was most of the client's time in fan-out.
     */
    int indexOf(byte b, int from, int to) {
        long repeated = ONES * (b & 0xff);
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long word = (long) LONGS.get(bytes, i) ^ repeated;
            long zeros = (word - ONES) & ~word & HIGHS;
            if (zeros != 0) {
                return i + (Long.numberOfTrailingZeros(zeros) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private boolean matches(byte[] pattern, int at) {
        for (int k = 1; k < pattern.length; k++) {
            if (bytes[at + k] != pattern[k]) {
                return false;
            }
        }
        return true;
    }

    /** Whether the bytes at {@code at} begin with the ASCII {@code text} (case-sensitive). */
    boolean startsWith(int at, String text) {
        if (at + text.length() > end) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (bytes[at + i] != text.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    String text(int from, int to) {
        return new String(bytes, from, to - from, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** Everything up to {@code position} is parsed. */
    void consumeTo(int position) {
        start = position;
        if (start == end) {
            start = 0;
            end = 0;
        }
    }
}
