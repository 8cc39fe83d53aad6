package io.courier.protocol;

import java.nio.ByteBuffer;

/**
 * Finds where one JSON value ends in bytes that arrive in pieces, without parsing it: it follows strings, escapes,
 * the nesting of objects and arrays, the order of their parts (names, colons, values, commas) and the spelling of
 * numbers and literals ({@link JsonTokenSpelling}), and keeps its place between reads. The decoder hands each value
 * it delimits, whole, to Jackson's blocking parser, which builds the tree and checks what the scanner leaves alone:
 * surrogate pairs written as escapes, the range and length of numbers.
 *
 * <p>So a broken message is refused at its first bad byte, not when a closing brace that may never come arrives (a
 * missing quote before a newline, a trailing comma): a byte that cannot come where it stands, a closing bracket of
 * the wrong kind, nesting deeper than {@link Json#MAX_NESTING_DEPTH}, and in a string a control character, an
 * unknown escape or an invalid UTF-8 sequence (overlong forms and code points past U+10FFFF included).
 *
 * <p>A number or literal (true, false, null) at the top level ends at the first byte that cannot continue it, and
 * only white space may follow it: {@code 1.5.3} or {@code 7,} is one broken value, whichever way it is cut into
 * reads. Top-level values other than objects are bad requests (PROTOCOL.md), but they are delimited all the same so
 * the stream stays in sync.
 */
final class JsonValueScanner {
    private static final byte OTHER = 0;
    private static final byte SPACE = 1;
    private static final byte QUOTE = 2;
    private static final byte OPEN = 3;
    private static final byte CLOSE = 4;
    private static final byte SEPARATOR = 5;
    /** Digits, signs, the decimal point and the letters of exponents, true, false and null. */
    private static final byte TOKEN = 6;
    private static final byte[] CLASSES = new byte[256];

    static {
        for (char c : " \t\r\n".toCharArray()) {
            CLASSES[c] = SPACE;
        }
        for (char c : "0123456789+-.eEtrufalsn".toCharArray()) {
            CLASSES[c] = TOKEN;
        }
        CLASSES['"'] = QUOTE;
        CLASSES['{'] = OPEN;
        CLASSES['['] = OPEN;
        CLASSES['}'] = CLOSE;
        CLASSES[']'] = CLOSE;
        CLASSES[','] = SEPARATOR;
        CLASSES[':'] = SEPARATOR;
    }

    private enum Kind { NONE, CONTAINER, STRING, SCALAR }

    /** After a backslash in a string; 1 to 4 are the hex digits a backslash-u escape still needs. */
    private static final int BACKSLASH = 5;

    /** What may come next inside a container. */
    private enum Expect { VALUE, VALUE_OR_CLOSE, NAME, NAME_OR_CLOSE, COLON, COMMA_OR_CLOSE, IN_TOKEN }

    private Kind kind = Kind.NONE;
    private Expect expect;
    private int depth;
    /** Bit {@code d - 1} is set when the container at depth {@code d} is an array. */
    private final long[] arrays = new long[(Json.MAX_NESTING_DEPTH + 63) / 64];
    private boolean inString;
    private int escape;
    private final Utf8Validator utf8 = new Utf8Validator();
    private final JsonTokenSpelling spelling = new JsonTokenSpelling();

    static boolean isSpace(byte b) {
        return CLASSES[b & 0xff] == SPACE;
    }

    /** True from the first byte of a value until its end. */
    boolean inValue() {
        return kind != Kind.NONE;
    }

    void reset() {
        kind = Kind.NONE;
        expect = null;
        depth = 0;
        inString = false;
        escape = 0;
        utf8.reset();
    }

    /**
     * Scans {@code in} from {@code from} (the value's first byte, when no value is begun) up to {@code to}.
     *
     * @param base the stream offset of index 0 of {@code in}, for error messages
     * @return the index just past the value's last byte when it ends before {@code to}, else -1 (the scanner then
     *         expects the value's next bytes)
     * @throws ProtocolException malformed or too_large, out of sync: no JSON value goes on like this
     */
    int scan(ByteBuffer in, int from, int to, long base) throws ProtocolException {
        int i = from;
        if (kind == Kind.NONE) {
            begin(in.get(i), base + i);
            i++;
        }
        while (i < to) {
            if (inString) {
                i = skipString(in, i, to, base);
                if (!inString && kind == Kind.STRING) {
                    return end(i);
                }
                continue;
            }
            byte b = in.get(i);
            byte type = CLASSES[b & 0xff];
            if (kind == Kind.SCALAR || expect == Expect.IN_TOKEN) {
                if (tokenGoesOn(b, type, base + i)) {
                    i++;
                    continue;
                }
                if (kind == Kind.SCALAR) {
                    if (type != SPACE) {
                        throw malformed(base + i, "a number or literal at the top level must be followed by white "
                                + "space, not by " + describe(b));
                    }
                    return end(i);
                }
                expect = Expect.COMMA_OR_CLOSE; // this byte ended the number or literal: it goes on below
            }
            if (type != SPACE && structure(b, type, base + i)) {
                return end(i + 1);
            }
            i++;
        }
        return -1;
    }

    /** True when {@code b} continues the number or literal; false when the token, complete, ends before it. */
    private boolean tokenGoesOn(byte b, byte type, long at) throws ProtocolException {
        if (type == TOKEN) {
            if (!spelling.next(b)) {
                throw malformed(at, describe(b) + " cannot come next in " + spelling.describe());
            }
            return true;
        }
        if (!spelling.complete()) {
            throw malformed(at, spelling.describe() + " is unfinished before " + describe(b));
        }
        return false;
    }

    /** Takes one structural byte inside a container; true when it closes the outermost one. */
    private boolean structure(byte b, byte type, long at) throws ProtocolException {
        boolean valueNext = expect == Expect.VALUE || expect == Expect.VALUE_OR_CLOSE;
        switch (type) {
            case QUOTE:
                if (!valueNext && expect != Expect.NAME && expect != Expect.NAME_OR_CLOSE) {
                    throw unexpected(b, at);
                }
                expect = valueNext ? Expect.COMMA_OR_CLOSE : Expect.COLON; // once the string has ended
                inString = true;
                return false;
            case OPEN:
                if (!valueNext) {
                    throw unexpected(b, at);
                }
                open(b, at);
                return false;
            case CLOSE:
                boolean array = b == ']';
                if (expect != Expect.COMMA_OR_CLOSE && expect != (array ? Expect.VALUE_OR_CLOSE : Expect.NAME_OR_CLOSE)) {
                    throw unexpected(b, at);
                }
                pop(array, at);
                expect = Expect.COMMA_OR_CLOSE;
                return depth == 0;
            case SEPARATOR:
                if (b == ',' && expect == Expect.COMMA_OR_CLOSE) {
                    expect = innermostIsArray() ? Expect.VALUE : Expect.NAME;
                } else if (b == ':' && expect == Expect.COLON) {
                    expect = Expect.VALUE;
                } else {
                    throw unexpected(b, at);
                }
                return false;
            case TOKEN:
                if (!valueNext || !spelling.start(b)) {
                    throw unexpected(b, at);
                }
                expect = Expect.IN_TOKEN;
                return false;
            default:
                throw unexpected(b, at);
        }
    }

    private ProtocolException unexpected(byte b, long at) {
        String expected;
        switch (expect) {
            case VALUE:
                expected = "a value";
                break;
            case VALUE_OR_CLOSE:
                expected = "a value or ']'";
                break;
            case NAME:
                expected = "a field name in double quotes";
                break;
            case NAME_OR_CLOSE:
                expected = "a field name in double quotes or '}'";
                break;
            case COLON:
                expected = "':' after the field name";
                break;
            default:
                expected = innermostIsArray() ? "',' or ']'" : "',' or '}'";
        }
        return malformed(at, "expected " + expected + ", found " + describe(b));
    }

    private static String describe(byte b) {
        return b > 0x20 && b < 0x7f ? String.format("'%c'", (char) b) : String.format("byte 0x%02x", b & 0xff);
    }

    private void open(byte b, long at) throws ProtocolException {
        push(b == '[', at);
        expect = b == '[' ? Expect.VALUE_OR_CLOSE : Expect.NAME_OR_CLOSE;
    }

    private void begin(byte b, long at) throws ProtocolException {
        byte type = CLASSES[b & 0xff];
        if (type == OPEN) {
            kind = Kind.CONTAINER;
            open(b, at);
        } else if (type == QUOTE) {
            kind = Kind.STRING;
            inString = true;
        } else if (type == TOKEN && spelling.start(b)) {
            kind = Kind.SCALAR;
        } else if (b == (byte) 0xef) {
            throw malformed(at, "byte 0xef cannot start a JSON value (no byte-order marks)");
        } else {
            throw malformed(at, String.format("byte 0x%02x cannot start a JSON value", b & 0xff));
        }
    }

    private int end(int index) {
        kind = Kind.NONE;
        return index;
    }

    /** Steps through string bytes; returns the index after the closing quote, or {@code to} while still inside. */
    private int skipString(ByteBuffer in, int i, int to, long base) throws ProtocolException {
        for (; i < to; i++) {
            if (escape == 0 && !utf8.inSequence()) {
                i = plainRun(in, i, to);
                if (i == to) {
                    return to;
                }
            }
            byte b = in.get(i);
            if (escape != 0) {
                escapeByte(b, base + i);
            } else if (b < 0 || utf8.inSequence()) {
                if (!utf8.accept(b & 0xff)) {
                    throw malformed(base + i, String.format("byte 0x%02x is not UTF-8 there (overlong forms, "
                            + "surrogates and code points past U+10FFFF are not UTF-8 either)", b & 0xff));
                }
            } else if (b == '"') {
                inString = false;
                return i + 1;
            } else if (b == '\\') {
                escape = BACKSLASH;
            } else if (b < 0x20) {
                throw malformed(base + i, String.format("control character 0x%02x in a string must be written as an "
                        + "escape (\\n, \\t, \\u0001, ...)", b));
            }
        }
        return i;
    }

    /** Most string bytes are printable ASCII: the index of the first that is not, or a quote or backslash. */
    private static int plainRun(ByteBuffer in, int from, int to) {
        for (int i = from; i < to; i++) {
            byte b = in.get(i);
            if (b < 0x20 || b == '"' || b == '\\') {
                return i;
            }
        }
        return to;
    }

    private void escapeByte(byte b, long at) throws ProtocolException {
        if (escape == BACKSLASH) {
            if (b == 'u') {
                escape = 4;
            } else if (b == '"' || b == '\\' || b == '/' || b == 'b' || b == 'f' || b == 'n' || b == 'r' || b == 't') {
                escape = 0;
            } else {
                throw malformed(at, String.format("byte 0x%02x after a backslash starts no escape; the escapes are "
                        + "\\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\u with four hex digits", b & 0xff));
            }
        } else if ((b >= '0' && b <= '9') || (b >= 'a' && b <= 'f') || (b >= 'A' && b <= 'F')) {
            escape--;
        } else {
            throw malformed(at, String.format("byte 0x%02x in a \\u escape is no hex digit; \\u takes four",
                    b & 0xff));
        }
    }

    private void push(boolean array, long at) throws ProtocolException {
        if (depth == Json.MAX_NESTING_DEPTH) {
            throw new ProtocolException(ErrorCode.TOO_LARGE, false, "the JSON object exceeds a limit: nesting "
                    + "deeper than " + Json.MAX_NESTING_DEPTH + " objects and arrays, at byte " + at);
        }
        long bit = 1L << (depth & 63);
        if (array) {
            arrays[depth >> 6] |= bit;
        } else {
            arrays[depth >> 6] &= ~bit;
        }
        depth++;
    }

    private boolean innermostIsArray() {
        int top = depth - 1;
        return (arrays[top >> 6] & (1L << (top & 63))) != 0;
    }

    private void pop(boolean array, long at) throws ProtocolException {
        if (innermostIsArray() != array) {
            throw malformed(at, array ? "']' cannot close an object" : "'}' cannot close an array");
        }
        depth--;
    }

    /** The out-of-sync error for bytes that are not JSON, naming where in the stream. */
    static ProtocolException malformed(long at, String problem) {
        return new ProtocolException(ErrorCode.MALFORMED, false, "the JSON text cannot be parsed at byte " + at
                + ": " + problem + "; send one JSON object per message, UTF-8 encoded");
    }
}
