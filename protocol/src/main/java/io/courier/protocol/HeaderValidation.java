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
            throw new ProtocolException(ErrorCode.BAD_REQUEST, true,
                    "the header must be a JSON object like {\"type\":\"ping\"}, got " + describe(root));
        }
        ObjectNode header = (ObjectNode) root;
        JsonNode type = header.get(Message.TYPE);
        JsonNode id = header.get(Message.ID);
        if (type == null) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, true,
                    "the header has no \"type\" field; add one naming the message, e.g. \"type\":\"ping\"", null, id);
        }
        if (!type.isTextual() || type.textValue().isEmpty()) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, true,
                    "the header's \"type\" must be a non-empty string, got " + describe(type), null, id);
        }
        return header;
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
