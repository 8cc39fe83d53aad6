package io.courier.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;

/**
 * Checks a binary frame's header in one streaming pass, without building a tree: the bytes must be exactly one
 * JSON object whose {@code type} is a non-empty string. It keeps {@code type}, {@code id} and whether {@code ok}
 * is present, which is all routing needs; the tree is built later, only if a handler asks for it. This is what
 * lets echo answer without parsing and re-serialising the header.
 */
final class HeaderScan {
    final String type;
    final JsonNode id;
    final boolean hasOk;
    /** Offset of the opening brace (leading whitespace is allowed). */
    final int openBrace;

    private HeaderScan(String type, JsonNode id, boolean hasOk, int openBrace) {
        this.type = type;
        this.id = id;
        this.hasOk = hasOk;
        this.openBrace = openBrace;
    }

    /** What {@link HeaderScanner} found. */
    static HeaderScan of(String type, JsonNode id, boolean hasOk, int openBrace) {
        return new HeaderScan(type, id, hasOk, openBrace);
    }

    /** What a {@link HeaderWriter} knows of the header it wrote: no scan needed. */
    static HeaderScan built(String type, JsonNode id, boolean hasOk) {
        return new HeaderScan(type, id, hasOk, 0);
    }

    /**
     * @throws ProtocolException malformed (out of sync, per PROTOCOL.md) for bytes that are not one JSON value;
     *                           bad_request (in sync: the frame boundary is known) for JSON that is not a header
     */
    static HeaderScan scan(byte[] bytes) throws ProtocolException {
        HeaderScan owned = HeaderScanner.scan(bytes);
        return owned != null ? owned : parse(bytes);
    }

    /**
     * The scan by Jackson's streaming parser: the one that decides and words every refusal, and reads what the owned
     * scanner leaves to it (deep nesting, long numbers, ids that are neither strings nor small integers).
     */
    static HeaderScan parse(byte[] bytes) throws ProtocolException {
        requireUtf8(bytes);
        try (JsonParser parser = Json.FACTORY.createParser(bytes)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new ProtocolException(ErrorCode.MALFORMED, false, "the frame header holds no JSON value");
            }
            if (first != JsonToken.START_OBJECT) {
                JsonNode root = JsonTreeBuilder.readValue(parser, first);
                requireEnd(parser);
                throw HeaderValidation.notAnObject(root);
            }
            int openBrace = (int) parser.currentTokenLocation().getByteOffset();
            JsonNode type = null;
            JsonNode id = null;
            boolean hasOk = false;
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (Message.TYPE.equals(name)) {
                    type = JsonTreeBuilder.readValue(parser, value);
                } else if (Message.ID.equals(name)) {
                    id = JsonTreeBuilder.readValue(parser, value);
                } else {
                    hasOk |= Message.OK.equals(name);
                    skipValue(parser, value);
                }
            }
            requireEnd(parser);
            HeaderValidation.requireType(type, id);
            return new HeaderScan(type.textValue(), id, hasOk, openBrace);
        } catch (StreamConstraintsException e) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, true,
                    "the header exceeds a JSON limit: " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw new ProtocolException(ErrorCode.MALFORMED, false,
                    "the frame header is not valid UTF-8 JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ProtocolException(ErrorCode.MALFORMED, false, "the frame header cannot be read: " + e);
        }
    }

    /**
     * The text of the top-level string field {@code name} of an already validated header, or null when it is
     * absent or not a string. One streaming pass, no tree.
     */
    static String findText(byte[] bytes, String name) {
        String owned = HeaderScanner.findText(bytes, name);
        return owned != HeaderScanner.UNKNOWN ? owned : parseText(bytes, name);
    }

    /** {@link #findText} by Jackson's parser. */
    static String parseText(byte[] bytes, String name) {
        try (JsonParser parser = Json.FACTORY.createParser(bytes)) {
            parser.nextToken();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                boolean wanted = name.equals(parser.currentName());
                JsonToken value = parser.nextToken();
                if (wanted) {
                    return value == JsonToken.VALUE_STRING ? parser.getText() : null;
                }
                parser.skipChildren();
            }
            return null;
        } catch (IOException e) {
            throw new IllegalStateException("a validated header failed to parse", e);
        }
    }

    /**
     * Steps over a value without building it, but converts every fraction on the way: Jackson checks a number's
     * range only when it converts it, and a number out of any range must be refused now, not when a handler builds
     * the tree later. Strings need no decoding here: requireUtf8 has checked every byte, and skipping a string
     * still checks its escapes and control characters.
     */
    private static void skipValue(JsonParser parser, JsonToken token) throws IOException {
        int depth = 0;
        do {
            if (token == JsonToken.VALUE_NUMBER_FLOAT) {
                JsonTreeBuilder.decimal(parser); // a number no type holds is refused now, not when the tree is built
            } else if (token.isStructStart()) {
                depth++;
            } else if (token.isStructEnd()) {
                depth--;
            }
        } while (depth > 0 && (token = parser.nextToken()) != null);
    }

    /**
     * Jackson guesses UTF-16 or UTF-32 from a BOM or zero bytes at the start; headers are UTF-8 (PROTOCOL.md), and
     * 0x00, 0xFE and 0xFF never occur in UTF-8 JSON, so refuse them before Jackson can guess. Then every byte must
     * be well-formed UTF-8: Jackson would accept overlong forms and code points past U+10FFFF.
     */
    private static void requireUtf8(byte[] bytes) throws ProtocolException {
        for (int i = 0; i < Math.min(4, bytes.length); i++) {
            int b = bytes[i] & 0xff;
            if (b == 0x00 || b == 0xfe || b == 0xff) {
                throw new ProtocolException(ErrorCode.MALFORMED, false, String.format(
                        "the frame header is not UTF-8 JSON: byte 0x%02x at offset %d", b, i));
            }
        }
        int bad = Utf8Validator.firstInvalid(bytes);
        if (bad == bytes.length) {
            throw new ProtocolException(ErrorCode.MALFORMED, false,
                    "the frame header is not UTF-8: it ends inside a multi-byte sequence");
        }
        if (bad >= 0) {
            throw new ProtocolException(ErrorCode.MALFORMED, false, String.format("the frame header is not UTF-8: "
                    + "byte 0x%02x at offset %d (overlong forms, surrogates and code points past U+10FFFF are not "
                    + "UTF-8 either)", bytes[bad] & 0xff, bad));
        }
    }

    /** After the root value only whitespace may follow. */
    private static void requireEnd(JsonParser parser) throws IOException, ProtocolException {
        if (parser.nextToken() != null) {
            throw new ProtocolException(ErrorCode.MALFORMED, false,
                    "the frame header holds more than one JSON value; a header is exactly one object");
        }
    }
}
