package io.courier.protocol;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;

/**
 * Scans a binary frame's header with no parser behind it: one pass over the bytes that checks the JSON grammar
 * (RFC 8259), the escapes and the UTF-8 of every string, and keeps what routing needs ({@code type}, {@code id},
 * whether {@code ok} is present, where the object starts). Creating a Jackson parser for every header was the
 * largest cost of a small request (BENCHMARKS.md, "Hot path").
 *
 * <p>It answers null whenever it is not sure, and {@link HeaderScan} then runs Jackson's parser, which decides and
 * words the error. So this class never refuses anything itself: it only has to accept nothing that path refuses,
 * and give the same type, id, ok and offset when it accepts (a differential fuzz test holds it to both). It is
 * unsure of: anything malformed or not a header; nesting deeper than {@link #MAX_DEPTH}; numbers longer than
 * {@link #MAX_NUMBER_CHARS} or with an exponent of more than three digits (range checks are Jackson's); an
 * {@code id} that is not a string, an integer of at most 18 digits, a boolean or null; a {@code type} that is not a
 * string. Field names compare after their escapes are decoded, as Jackson's do.
 */
final class HeaderScanner {
    /** Well inside Jackson's limit of {@value Json#MAX_NESTING_DEPTH}. */
    static final int MAX_DEPTH = 64;
    /** Well inside Jackson's limit of 1,000 characters per number. */
    static final int MAX_NUMBER_CHARS = 600;
    private static final int MAX_EXPONENT_DIGITS = 3;
    /** Digits any long holds; a longer integer id goes to Jackson, which picks long or BigInteger. */
    private static final int MAX_ID_DIGITS = 18;
    /** Returned by the value readers for bytes this scanner does not accept. */
    private static final int UNSURE = -1;

    private static final byte[] TYPE = ascii(Message.TYPE);
    private static final byte[] ID = ascii(Message.ID);
    private static final byte[] OK = ascii(Message.OK);

    private static final RepeatedStrings TYPES = new RepeatedStrings();

    private final byte[] bytes;
    /** Set by {@link #string}: whether the string just read holds an escape. */
    private boolean escaped;

    private HeaderScanner(byte[] bytes) {
        this.bytes = bytes;
    }

    /** The scan of {@code bytes}, or null when Jackson's parser must decide. */
    static HeaderScan scan(byte[] bytes) {
        return new HeaderScanner(bytes).header();
    }

    /**
     * The text of the first top-level string field {@code name} of an already validated header (null when the
     * first such field is not a string, or there is none), or {@link #UNKNOWN} when this scanner cannot tell.
     */
    static String findText(byte[] bytes, String name) {
        return new HeaderScanner(bytes).text(name);
    }

    /** What {@link #findText} returns when Jackson must answer instead. */
    static final String UNKNOWN = new String("unknown"); // compared by identity

    private HeaderScan header() {
        int openBrace = whitespace(0);
        if (openBrace >= bytes.length || bytes[openBrace] != '{') {
            return null;
        }
        String type = null;
        JsonNode id = null;
        boolean hasOk = false;
        int i = whitespace(openBrace + 1);
        if (i < bytes.length && bytes[i] == '}') {
            return null; // no type: Jackson's path words the error
        }
        while (true) {
            int nameStart = i;
            i = string(i, true);
            if (i == UNSURE) {
                return null;
            }
            boolean isType = nameIs(nameStart, i, TYPE);
            boolean isId = !isType && nameIs(nameStart, i, ID);
            hasOk |= !isType && !isId && nameIs(nameStart, i, OK);
            i = colon(i);
            if (i == UNSURE) {
                return null;
            }
            int valueStart = i;
            i = value(i, 1);
            if (i == UNSURE) {
                return null;
            }
            if (isType) {
                type = bytes[valueStart] == '"' ? typeValue(valueStart, i) : null;
                if (type == null || type.isEmpty()) {
                    return null;
                }
            } else if (isId) {
                id = idValue(valueStart, i);
                if (id == null) {
                    return null;
                }
            }
            i = whitespace(i);
            if (i >= bytes.length) {
                return null;
            }
            if (bytes[i] == '}') {
                break;
            }
            if (bytes[i] != ',') {
                return null;
            }
            i = whitespace(i + 1);
        }
        if (whitespace(i + 1) != bytes.length || type == null) {
            return null;
        }
        return HeaderScan.of(type, id, hasOk, openBrace);
    }

    private String text(String name) {
        byte[] wanted = name.getBytes(StandardCharsets.UTF_8);
        int i = whitespace(0);
        if (i >= bytes.length || bytes[i] != '{') {
            return UNKNOWN;
        }
        i = whitespace(i + 1);
        if (i < bytes.length && bytes[i] == '}') {
            return null;
        }
        while (i != UNSURE) {
            int nameStart = i;
            i = string(i, true);
            if (i == UNSURE) {
                return UNKNOWN;
            }
            boolean match = nameIs(nameStart, i, wanted);
            i = colon(i);
            if (i == UNSURE) {
                return UNKNOWN;
            }
            int valueStart = i;
            i = value(i, 1);
            if (i == UNSURE) {
                return UNKNOWN;
            }
            if (match) {
                return bytes[valueStart] == '"' ? stringValue(valueStart, i) : null;
            }
            i = whitespace(i);
            if (i >= bytes.length || bytes[i] == '}') {
                return null;
            }
            i = bytes[i] == ',' ? whitespace(i + 1) : UNSURE;
        }
        return UNKNOWN;
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

    private int object(int i, int depth) {
        i = whitespace(i + 1);
        if (i < bytes.length && bytes[i] == '}') {
            return i + 1;
        }
        while (true) {
            i = string(i, true);
            if (i == UNSURE || (i = colon(i)) == UNSURE || (i = value(i, depth)) == UNSURE) {
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
     * The text of the string from {@code start} (its opening quote) to {@code end} (after its closing quote), with
     * its escapes decoded as Jackson decodes them: each escape gives its one char, a surrogate escape included.
     */
    private String stringValue(int start, int end) {
        int from = start + 1;
        int to = end - 1;
        string(start, false); // sets escaped
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
            text.append(new String(bytes, run, i - run, StandardCharsets.UTF_8)); // whole UTF-8 sequences: escapes are ASCII
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

    /** The type's text: from the table of repeated strings when it has no escapes (the value was just read). */
    private String typeValue(int start, int end) {
        return escaped ? stringValue(start, end) : TYPES.text(bytes, start + 1, end - 1);
    }

    /** Whether the field name from {@code start} (its quote) to {@code end} is {@code name} (UTF-8 bytes). */
    private boolean nameIs(int start, int end, byte[] name) {
        if (escaped) {
            return new String(name, StandardCharsets.UTF_8).equals(stringValue(start, end));
        }
        int length = end - start - 2;
        if (length != name.length) {
            return false;
        }
        for (int k = 0; k < length; k++) {
            if (bytes[start + 1 + k] != name[k]) {
                return false;
            }
        }
        return true;
    }

    /**
     * The id's node as Jackson's path builds it, or null to let that path decide: a string, an integer of at most
     * {@value #MAX_ID_DIGITS} digits (an int node when it fits an int, as Jackson picks), a boolean or null.
     */
    private JsonNode idValue(int start, int end) {
        switch (bytes[start]) {
            case '"':
                return Json.NODES.textNode(stringValue(start, end));
            case 't':
                return Json.NODES.booleanNode(true);
            case 'f':
                return Json.NODES.booleanNode(false);
            case 'n':
                return Json.NODES.nullNode();
            default:
                return integer(start, end);
        }
    }

    private JsonNode integer(int start, int end) {
        boolean negative = bytes[start] == '-';
        int first = negative ? start + 1 : start;
        if (end - first > MAX_ID_DIGITS) {
            return null;
        }
        long value = 0;
        for (int i = first; i < end; i++) {
            int digit = bytes[i] - '0';
            if (digit < 0 || digit > 9) {
                return null; // a fraction or an exponent
            }
            value = value * 10 + digit;
        }
        value = negative ? -value : value;
        return value == (int) value ? Json.NODES.numberNode((int) value) : Json.NODES.numberNode(value);
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
    private int whitespace(int i) {
        while (i < bytes.length) {
            byte b = bytes[i];
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                break;
            }
            i++;
        }
        return i;
    }

    private static byte[] ascii(String name) {
        return name.getBytes(StandardCharsets.US_ASCII);
    }
}
