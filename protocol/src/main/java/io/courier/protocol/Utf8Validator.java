package io.courier.protocol;

import java.nio.ByteBuffer;

/**
 * Checks that bytes are well-formed UTF-8 (RFC 3629), also across reads: a sequence may begin in one buffer and end
 * in the next. Jackson's parsers accept overlong forms (C0 80 for U+0000, F0 8F 98 80 for U+F600) and sequences
 * past U+10FFFF, and turn the latter into lone surrogates, a string no encoder can write back; PROTOCOL.md makes
 * every invalid UTF-8 byte malformed, so the decoders check for themselves.
 *
 * <p>Well-formed sequences: 00-7F; C2-DF then 80-BF; E0 then A0-BF; E1-EC and EE-EF then 80-BF; ED then 80-9F (no
 * surrogates); F0 then 90-BF; F1-F3 then 80-BF; F4 then 80-8F; each lead followed by the rest of its
 * continuation bytes, 80-BF.
 */
final class Utf8Validator {
    /** Continuation bytes the current sequence still needs. */
    private int needed;
    /** The range the next continuation byte must fall in (narrower than 80-BF right after some leads). */
    private int lower = 0x80;
    private int upper = 0xbf;

    /**
     * The index of the first byte of {@code in} (between its position and limit) that cannot continue the
     * well-formed UTF-8 before it, or -1 if there is none. The buffer's position does not move.
     */
    int firstInvalid(ByteBuffer in) {
        for (int i = in.position(); i < in.limit(); i++) {
            int b = in.get(i) & 0xff;
            if (needed > 0) {
                if (b < lower || b > upper) {
                    return i;
                }
                needed--;
                lower = 0x80;
                upper = 0xbf;
            } else if (b >= 0x80 && !lead(b)) {
                return i;
            }
        }
        return -1;
    }

    /** Starts the sequence {@code b} leads; false if no well-formed sequence starts with it. */
    private boolean lead(int b) {
        needed = continuations(b);
        if (needed < 0) {
            needed = 0;
            return false;
        }
        lower = lowest(b);
        upper = highest(b);
        return true;
    }

    /**
     * The continuation bytes the lead {@code b} (80-FF) needs, or -1 when no well-formed sequence starts with it:
     * 80-C1 (a continuation or an overlong lead), F5-FF (past U+10FFFF).
     */
    private static int continuations(int b) {
        if (b >= 0xc2 && b <= 0xdf) {
            return 1;
        } else if (b >= 0xe0 && b <= 0xef) {
            return 2;
        } else if (b >= 0xf0 && b <= 0xf4) {
            return 3;
        }
        return -1;
    }

    /** The lowest first continuation byte after the lead {@code b}: E0 and F0 exclude overlong forms. */
    private static int lowest(int b) {
        return b == 0xe0 ? 0xa0 : b == 0xf0 ? 0x90 : 0x80;
    }

    /** The highest first continuation byte after the lead {@code b}: ED excludes surrogates, F4 U+110000 on. */
    private static int highest(int b) {
        return b == 0xed ? 0x9f : b == 0xf4 ? 0x8f : 0xbf;
    }

    /**
     * The length of the well-formed sequence starting at {@code bytes[i]} (1 to 4), or -1 when none starts there
     * (also when the bytes end inside it): for a scan over one array, with no state between calls.
     */
    static int sequenceLength(byte[] bytes, int i) {
        int b = bytes[i] & 0xff;
        if (b < 0x80) {
            return 1;
        }
        int length = continuations(b) + 1;
        if (length == 0 || i + length > bytes.length) {
            return -1;
        }
        int lower = lowest(b);
        int upper = highest(b);
        for (int k = i + 1; k < i + length; k++) {
            int next = bytes[k] & 0xff;
            if (next < lower || next > upper) {
                return -1;
            }
            lower = 0x80;
            upper = 0xbf;
        }
        return length;
    }

    /** True when the bytes so far end inside a sequence. */
    boolean inSequence() {
        return needed > 0;
    }

    /**
     * The index of the first byte of {@code bytes} that is not well-formed UTF-8, their length if they end inside
     * a sequence, or -1 when they are all well-formed.
     */
    static int firstInvalid(byte[] bytes) {
        Utf8Validator validator = new Utf8Validator();
        int bad = validator.firstInvalid(ByteBuffer.wrap(bytes));
        if (bad < 0 && validator.inSequence()) {
            return bytes.length;
        }
        return bad;
    }
}
