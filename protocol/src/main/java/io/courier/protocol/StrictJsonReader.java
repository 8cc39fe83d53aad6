package io.courier.protocol;

import java.nio.charset.StandardCharsets;

/**
 * Reads JSON values (RFC 8259) out of one byte array, strictly, without a parser: each reader returns the index
 * after what it read, or {@link #UNSURE} for bytes it does not accept. It never refuses anything itself: what it is
 * unsure of is left to Jackson's parser, which decides and words the error ({@link HeaderScanner} is the reader of
 * headers built on it). So it accepts only what Jackson accepts: nesting to {@link #MAX_DEPTH}, numbers of at most
 * {@link #MAX_NUMBER_CHARS} characters with exponents of at most three digits (range checks are Jackson's),
 * strings with JSON's escapes and well-formed UTF-8, and no surrogate escape in a field name.
 */
abstract class StrictJsonReader {
    /** Well inside Jackson's limit of {@value Json#MAX_NESTING_DEPTH}. */
    static final int MAX_DEPTH = 64;
    /** Well inside Jackson's limit of 1,000 characters per number. */
    static final int MAX_NUMBER_CHARS = 600;
    /** Returned by the readers for bytes they do not accept. */
    static final int UNSURE = -1;
    private static final int MAX_EXPONENT_DIGITS = 3;

    final byte[] bytes;
    /** Set by {@link #string}: whether the string just read holds an escape. */
    boolean escaped;

    StrictJsonReader(byte[] bytes) {
        this.bytes = bytes;
    }

    /** After a field name: white space, a colon, white space; the index of the value, or UNSURE. */
    private int colon(int i) {
        i = whitespace(i);
        return i < bytes.length && bytes[i] == ':' ? whitespace(i + 1) : UNSURE;
    }

    /** The end of the value starting at {@code i} (its depth counting the header as 1), or UNSURE. */
    private int value(int i, int depth) {
        if (i >= bytes.length) {
            return UNSURE;
        }
        switch (bytes[i]) {
            case '"':
                return string(i, false);
            case '{':
                return depth < MAX_DEPTH ? object(i, depth + 1) : UNSURE;
            case '[':
                return depth < MAX_DEPTH ? array(i, depth + 1) : UNSURE;
            case 't':
                return literal(i, "true");
            case 'f':
                return literal(i, "false");
            case 'n':
                return literal(i, "null");
            default:
                return number(i);
        }
    }

    /**
     * The end of the object whose brace is at {@code i} (at {@code depth}, the header's being 1), or UNSURE. Each
     * member is handed to {@link #member} once read; a member that returns false stops the reading (UNSURE).
     */
    int object(int i, int depth) {
        i = whitespace(i + 1);
        if (i < bytes.length && bytes[i] == '}') {
            return i + 1;
        }
        while (true) {
            int nameStart = i;
            if ((i = string(i, true)) == UNSURE) {
                return UNSURE;
            }
            int nameEnd = i;
            boolean nameEscaped = escaped;
            if ((i = colon(i)) == UNSURE) {
                return UNSURE;
            }
            int valueStart = i;
            if ((i = value(i, depth)) == UNSURE || !member(depth, nameStart, nameEnd, nameEscaped, valueStart, i)) {
                return UNSURE;
            }
            i = whitespace(i);
            if (i >= bytes.length) {
                return UNSURE;
            }
            if (bytes[i] == '}') {
                return i + 1;
            }
            if (bytes[i] != ',') {
                return UNSURE;
            }
            i = whitespace(i + 1);
        }
    }

    /**
     * A member just read: its name from {@code nameStart} (the quote) to {@code nameEnd} (after the closing one),
     * its value from {@code valueStart} to {@code valueEnd}; {@link #escaped} tells of the value when it is a
     * string. Returns false to stop reading. This reader keeps nothing: subclasses keep what they need.
     */
    boolean member(int depth, int nameStart, int nameEnd, boolean nameEscaped, int valueStart, int valueEnd) {
        return true;
    }

    private int array(int i, int depth) {
        i = whitespace(i + 1);
        if (i < bytes.length && bytes[i] == ']') {
            return i + 1;
        }
        while (true) {
            if ((i = value(i, depth)) == UNSURE) {
                return UNSURE;
            }
            i = whitespace(i);
            if (i >= bytes.length) {
                return UNSURE;
            }
            if (bytes[i] == ']') {
                return i + 1;
            }
            if (bytes[i] != ',') {
                return UNSURE;
            }
            i = whitespace(i + 1);
        }
    }

    /**
     * The end of the string whose opening quote is at {@code i} (the index after its closing quote), or UNSURE:
     * not a quote there, a control character, an escape JSON does not have, or a byte that is not UTF-8.
     */
    private int string(int i, boolean name) {
        if (i >= bytes.length || bytes[i] != '"') {
            return UNSURE;
        }
        escaped = false;
        i++;
        while (i < bytes.length) {
            int b = bytes[i] & 0xff;
            if (b == '"') {
                return i + 1;
            } else if (b == '\\') {
                escaped = true;
                i = escape(i, name);
                if (i == UNSURE) {
                    return UNSURE;
                }
            } else if (b < 0x20) {
                return UNSURE;
            } else if (b < 0x80) {
                i++;
            } else {
                int length = Utf8Validator.sequenceLength(bytes, i);
                if (length < 0) {
                    return UNSURE;
                }
                i += length;
            }
        }
        return UNSURE;
    }

    /**
     * The index after the escape whose backslash is at {@code i}, or UNSURE. A surrogate escape in a field name is
     * left to Jackson: it checks their pairing in names (not in values), and refuses a lone one.
     */
    private int escape(int i, boolean name) {
        if (i + 1 >= bytes.length) {
            return UNSURE;
        }
        switch (bytes[i + 1]) {
            case '"':
            case '\\':
            case '/':
            case 'b':
            case 'f':
            case 'n':
            case 'r':
            case 't':
                return i + 2;
            case 'u':
                int code = hex4(i + 2);
                return code < 0 || (name && Character.isSurrogate((char) code)) ? UNSURE : i + 6;
            default:
                return UNSURE;
        }
    }

    /** The four hex digits at {@code i} as a number, or -1. */
    private int hex4(int i) {
        if (i + 4 > bytes.length) {
            return -1;
        }
        int code = 0;
        for (int k = i; k < i + 4; k++) {
            int digit = Character.digit(bytes[k], 16);
            if (digit < 0) {
                return -1;
            }
            code = code << 4 | digit;
        }
        return code;
    }

    /**
     * The text of the string from {@code start} (its opening quote) to {@code end} (after its closing quote), read
     * already ({@code escaped}: whether it holds an escape), with its escapes decoded as Jackson decodes them: each
     * escape gives its one char, a surrogate escape included.
     */
    String stringValue(int start, int end, boolean escaped) {
        int from = start + 1;
        int to = end - 1;
        if (!escaped) {
            return new String(bytes, from, to - from, StandardCharsets.UTF_8);
        }
        StringBuilder text = new StringBuilder(to - from);
        int run = from;
        for (int i = from; i < to; ) {
            if (bytes[i] != '\\') {
                i++;
                continue;
            }
            // The run holds whole UTF-8 sequences: escapes are ASCII, so they never cut one.
            text.append(new String(bytes, run, i - run, StandardCharsets.UTF_8));
            text.append(unescaped(i));
            i += bytes[i + 1] == 'u' ? 6 : 2;
            run = i;
        }
        return text.append(new String(bytes, run, to - run, StandardCharsets.UTF_8)).toString();
    }

    private char unescaped(int backslash) {
        switch (bytes[backslash + 1]) {
            case 'b':
                return '\b';
            case 'f':
                return '\f';
            case 'n':
                return '\n';
            case 'r':
                return '\r';
            case 't':
                return '\t';
            case 'u':
                return (char) hex4(backslash + 2);
            default:
                return (char) bytes[backslash + 1]; // " \ /
        }
    }

    /** The end of the literal {@code word} at {@code i}, or UNSURE. What may follow is the caller's to check. */
    private int literal(int i, String word) {
        if (i + word.length() > bytes.length) {
            return UNSURE;
        }
        for (int k = 0; k < word.length(); k++) {
            if (bytes[i + k] != word.charAt(k)) {
                return UNSURE;
            }
        }
        int end = i + word.length();
        // "truex" is one bad token to Jackson; the caller would stop at 'x' anyway, but say so here.
        return end < bytes.length && Character.isLetterOrDigit(bytes[end]) ? UNSURE : end;
    }

    /**
     * The end of the number at {@code i}: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?, or UNSURE (including
     * numbers longer than MAX_NUMBER_CHARS and exponents of more than three digits).
     */
    private int number(int i) {
        int start = i;
        if (i < bytes.length && bytes[i] == '-') {
            i++;
        }
        int intStart = i;
        i = digits(i);
        if (i == intStart || (bytes[intStart] == '0' && i - intStart > 1)) {
            return UNSURE; // no digits, or a leading zero
        }
        if (i < bytes.length && bytes[i] == '.') {
            int fraction = i + 1;
            i = digits(fraction);
            if (i == fraction) {
                return UNSURE;
            }
        }
        if (i < bytes.length && (bytes[i] == 'e' || bytes[i] == 'E')) {
            i++;
            if (i < bytes.length && (bytes[i] == '+' || bytes[i] == '-')) {
                i++;
            }
            int exponent = i;
            i = digits(exponent);
            if (i == exponent || i - exponent > MAX_EXPONENT_DIGITS) {
                return UNSURE;
            }
        }
        if (i - start > MAX_NUMBER_CHARS || (i < bytes.length && Character.isLetterOrDigit(bytes[i]))) {
            return UNSURE;
        }
        return i;
    }

    private int digits(int i) {
        while (i < bytes.length && bytes[i] >= '0' && bytes[i] <= '9') {
            i++;
        }
        return i;
    }

    /** The index of the first byte at or after {@code i} that is not JSON white space (space, tab, LF, CR). */
    int whitespace(int i) {
        while (i < bytes.length) {
            byte b = bytes[i];
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                break;
            }
            i++;
        }
        return i;
    }
}
