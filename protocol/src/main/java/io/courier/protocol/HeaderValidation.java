package io.courier.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The checks every decoded header passes, shared by both framings so their errors read the same. */
final class HeaderValidation {
    private HeaderValidation() {
    }

    /** Fails with bad_request (in sync) unless {@code root} is an object with a non-empty string {@code type}. */
    static ObjectNode requireHeader(JsonNode root) throws ProtocolException {
        if (!(root instanceof ObjectNode)) {
            throw notAnObject(root);
        }
        ObjectNode header = (ObjectNode) root;
        requireType(header.get(Message.TYPE), header.get(Message.ID));
        return header;
    }

    static ProtocolException notAnObject(JsonNode root) {
        return new ProtocolException(ErrorCode.BAD_REQUEST, true,
                "the header must be a JSON object like {\"type\":\"ping\"}, got " + describe(root));
    }

    /** Fails with bad_request (in sync, carrying the id) unless {@code type} is a non-empty string. */
    static void requireType(JsonNode type, JsonNode id) throws ProtocolException {
        if (type == null) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, true,
                    "the header has no \"type\" field; add one naming the message, e.g. \"type\":\"ping\"", null, id);
        }
        if (!type.isTextual() || type.textValue().isEmpty()) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, true,
                    "the header's \"type\" must be a non-empty string, got " + describe(type), null, id);
        }
    }

    static String describe(JsonNode node) {
        JsonNodeType nodeType = node == null ? JsonNodeType.MISSING : node.getNodeType();
        switch (nodeType) {
            case ARRAY:
                return "an array";
            case OBJECT:
                return "an object";
            case STRING:
                return "a string";
            case NUMBER:
                return "a number";
            case BOOLEAN:
                return "a boolean";
            case NULL:
                return "null";
            default:
                return "nothing";
        }
    }
}
