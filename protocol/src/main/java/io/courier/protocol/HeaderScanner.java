package io.courier.protocol;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Scans a binary frame's header with no parser behind it: one pass over the bytes that checks the JSON grammar
 * (RFC 8259), the escapes and the UTF-8 of every string, and keeps what routing needs ({@code type}, {@code id},
 * whether {@code ok} is present, where the object starts). Creating a Jackson parser for every header was the
 * largest cost of a small request (BENCHMARKS.md, "Hot path").
 *
 * <p>It answers null whenever it is not sure, and {@link HeaderScan} then runs Jackson's parser, which decides and
 * words the error. So this class never refuses anything itself: it only has to accept nothing that path refuses,
 * and give the same type, id, ok and offset when it accepts (a differential fuzz test holds it to both). It is
 * unsure of: anything malformed or not a header; what {@link StrictJsonReader} leaves to Jackson (deep nesting,
 * long numbers, big exponents, surrogate escapes in field names); an {@code id} that is not a string, an integer
 * of at most 18 digits, a boolean or null; a {@code type} that is not a string. Field names compare after their
 * escapes are decoded, as Jackson's do.
 */
final class HeaderScanner extends StrictJsonReader {
    /** Digits any long holds; a longer integer id goes to Jackson, which picks long or BigInteger. */
    private static final int MAX_ID_DIGITS = 18;

    private static final RepeatedStrings TYPES = new RepeatedStrings();

    /** The field {@link #findText} looks for, or null when scanning a header. */
    private final String wanted;

    private String type;
    private JsonNode id;
    private boolean hasOk;
    /** What {@link #findText} found, once {@link #done}. */
    private String text;
    private boolean done;

    private HeaderScanner(byte[] bytes, String wanted) {
        super(bytes);
        this.wanted = wanted;
    }

    /** The scan of {@code bytes}, or null when Jackson's parser must decide. */
    static HeaderScan scan(byte[] bytes) {
        HeaderScanner scanner = new HeaderScanner(bytes, null);
        int openBrace = scanner.openBrace();
        if (openBrace < 0) {
            return null;
        }
        int end = scanner.object(openBrace, 1);
        if (end == UNSURE || scanner.whitespace(end) != bytes.length || scanner.type == null) {
            return null; // malformed, unusual, or no type: Jackson's path decides and words the error
        }
        return HeaderScan.of(scanner.type, scanner.id, scanner.hasOk, openBrace);
    }

    /**
     * The text of the first top-level string field {@code name} of an already validated header (null when the
     * first such field is not a string, or there is none), or {@link #UNKNOWN} when this scanner cannot tell.
     */
    static String findText(byte[] bytes, String name) {
        HeaderScanner scanner = new HeaderScanner(bytes, name);
        int openBrace = scanner.openBrace();
        int end = openBrace < 0 ? UNSURE : scanner.object(openBrace, 1);
        if (scanner.done) {
            return scanner.text;
        }
        return end == UNSURE ? UNKNOWN : null;
    }

    /** What {@link #findText} returns when Jackson must answer instead. */
    static final String UNKNOWN = new String("unknown"); // compared by identity

    /** The offset of the header's brace after leading white space, or -1 when the bytes start otherwise. */
    private int openBrace() {
        int i = whitespace(0);
        return i < bytes.length && bytes[i] == '{' ? i : -1;
    }

    @Override
    boolean member(int depth, int nameStart, int nameEnd, boolean nameEscaped, int valueStart, int valueEnd) {
        if (depth != 1) {
            return true;
        }
        boolean isString = bytes[valueStart] == '"';
        if (wanted != null) {
            if (!nameIs(nameStart, nameEnd, nameEscaped, wanted)) {
                return true;
            }
            text = isString ? stringValue(valueStart, valueEnd, escaped) : null;
            done = true;
            return false; // found: no need to read on
        }
        if (nameIs(nameStart, nameEnd, nameEscaped, Message.TYPE)) {
            // From the table of repeated strings when it has no escapes: no new String per request.
            if (!isString) {
                type = null;
            } else {
                type = escaped ? stringValue(valueStart, valueEnd, true)
                        : TYPES.text(bytes, valueStart + 1, valueEnd - 1);
            }
            return type != null && !type.isEmpty();
        }
        if (nameIs(nameStart, nameEnd, nameEscaped, Message.ID)) {
            id = idValue(valueStart, valueEnd);
            return id != null;
        }
        hasOk |= nameIs(nameStart, nameEnd, nameEscaped, Message.OK);
        return true;
    }

    /**
     * Whether the field name from {@code start} (its quote) to {@code end} is {@code name}: byte by byte for an
     * ASCII name and a name without escapes (every header field the server reads), else by decoding it.
     */
    private boolean nameIs(int start, int end, boolean escaped, String name) {
        int length = end - start - 2;
        if (escaped || !ascii(name)) {
            return name.equals(stringValue(start, end, escaped));
        }
        if (length != name.length()) {
            return false;
        }
        for (int k = 0; k < length; k++) {
            if (bytes[start + 1 + k] != name.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    private static boolean ascii(String name) {
        for (int k = 0; k < name.length(); k++) {
            if (name.charAt(k) >= 0x80) {
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
                return Json.NODES.textNode(stringValue(start, end, escaped)); // the value was just read
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
}
