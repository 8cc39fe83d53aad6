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
 * unsure of: anything malformed or not a header; what {@link StrictJsonReader} leaves to Jackson (deep nesting,
 * long numbers, big exponents, surrogate escapes in field names); an {@code id} that is not a string, an integer
 * of at most 18 digits, a boolean or null; a {@code type} that is not a string. Field names compare after their
 * escapes are decoded, as Jackson's do.
 */
final class HeaderScanner extends StrictJsonReader {
    /** Digits any long holds; a longer integer id goes to Jackson, which picks long or BigInteger. */
    private static final int MAX_ID_DIGITS = 18;

    private static final byte[] TYPE = ascii(Message.TYPE);
    private static final byte[] ID = ascii(Message.ID);
    private static final byte[] OK = ascii(Message.OK);

    private static final RepeatedStrings TYPES = new RepeatedStrings();

    private HeaderScanner(byte[] bytes) {
        super(bytes);
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

    private static byte[] ascii(String name) {
        return name.getBytes(StandardCharsets.US_ASCII);
    }
}
