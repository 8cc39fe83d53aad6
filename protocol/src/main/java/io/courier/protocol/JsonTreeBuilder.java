package io.courier.protocol;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.ArrayDeque;

/**
 * Builds a Jackson tree one token at a time, so a tree can be assembled from a non-blocking parser that hands out
 * tokens as bytes arrive (ObjectMapper.readTree needs the whole value at once).
 */
final class JsonTreeBuilder {
    private static final JsonNodeFactory NODES = Json.NODES;

    private final ArrayDeque<ContainerNode<?>> open = new ArrayDeque<>();
    private String fieldName;

    /** True while a value is partly built. */
    boolean inValue() {
        return !open.isEmpty();
    }

    void reset() {
        open.clear();
        fieldName = null;
    }

    /**
     * Adds the parser's current token. Returns the finished root value when this token completes one, else null.
     */
    JsonNode accept(JsonToken token, JsonParser parser) throws IOException {
        switch (token) {
            case START_OBJECT:
                return push(NODES.objectNode());
            case START_ARRAY:
                return push(NODES.arrayNode());
            case END_OBJECT:
            case END_ARRAY:
                ContainerNode<?> done = open.pop();
                return open.isEmpty() ? done : null;
            case FIELD_NAME:
                fieldName = parser.currentName();
                return null;
            default:
                return attach(scalar(token, parser));
        }
    }

    /** Parses bytes already validated as one JSON value (a scanned header). */
    static JsonNode parse(byte[] bytes) {
        return parse(bytes, 0, bytes.length);
    }

    /** Parses {@code length} bytes from {@code offset}, already validated as one JSON value (part of a header). */
    static JsonNode parse(byte[] bytes, int offset, int length) {
        try (JsonParser parser = Json.FACTORY.createParser(bytes, offset, length)) {
            return readValue(parser, parser.nextToken());
        } catch (IOException e) {
            throw new IllegalStateException("a validated header failed to parse", e);
        }
    }

    /** The whole value starting at {@code token} (the parser's current token), read to its end. */
    static JsonNode readValue(JsonParser parser, JsonToken token) throws IOException {
        if (token.isScalarValue()) {
            return scalar(token, parser);
        }
        JsonTreeBuilder builder = new JsonTreeBuilder();
        JsonNode done = builder.accept(token, parser);
        while (done == null) {
            done = builder.accept(parser.nextToken(), parser);
        }
        return done;
    }

    /** The node for a scalar token. */
    static JsonNode scalar(JsonToken token, JsonParser parser) throws IOException {
        switch (token) {
            case VALUE_STRING:
                return NODES.textNode(parser.getText());
            case VALUE_NUMBER_INT:
                return integer(parser);
            case VALUE_NUMBER_FLOAT:
                return decimal(parser);
            case VALUE_TRUE:
                return NODES.booleanNode(true);
            case VALUE_FALSE:
                return NODES.booleanNode(false);
            case VALUE_NULL:
                return NODES.nullNode();
            default:
                throw new IllegalStateException("unexpected JSON token " + token);
        }
    }

    /**
     * A number with a fraction or an exponent: a double, or its exact digits when a double cannot hold it. A double
     * past its range would be infinite, which Jackson writes as the string "Infinity": 1e400 sent to echo would
     * come back as a string (and an id of 1e400 would no longer match its request).
     */
    static JsonNode decimal(JsonParser parser) throws IOException {
        if (parser.getNumberType() != JsonParser.NumberType.BIG_DECIMAL) {
            double value = parser.getDoubleValue();
            if (!Double.isInfinite(value)) {
                return NODES.numberNode(value);
            }
        }
        try {
            return NODES.numberNode(parser.getDecimalValue());
        } catch (NumberFormatException e) {
            // An exponent past what BigDecimal holds (1e99999999999): no number type holds it.
            throw new JsonParseException(parser, "the number " + parser.getText() + " is out of range");
        }
    }

    private static JsonNode integer(JsonParser parser) throws IOException {
        switch (parser.getNumberType()) {
            case INT:
                return NODES.numberNode(parser.getIntValue());
            case LONG:
                return NODES.numberNode(parser.getLongValue());
            default:
                return NODES.numberNode(parser.getBigIntegerValue());
        }
    }

    private JsonNode push(ContainerNode<?> container) {
        attach(container);
        open.push(container);
        return null;
    }

    /** Adds a value to the innermost open container; a value with no container around it is a finished root. */
    private JsonNode attach(JsonNode value) {
        ContainerNode<?> parent = open.peek();
        if (parent == null) {
            return value;
        }
        if (parent instanceof ObjectNode) {
            ((ObjectNode) parent).set(fieldName, value);
        } else {
            ((ArrayNode) parent).add(value);
        }
        return null;
    }
}
