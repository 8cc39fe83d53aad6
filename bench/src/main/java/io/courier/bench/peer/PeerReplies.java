package io.courier.bench.peer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.courier.protocol.ErrorCode;
import io.courier.protocol.Json;
import io.courier.protocol.Message;
import io.courier.protocol.ProtocolException;

import java.nio.charset.StandardCharsets;

/**
 * What both peer servers answer, in PROTOCOL.md's shapes: {@code ping} gets {@code time}, {@code echo} gets every
 * request field back with {@code ok:true} (the body is echoed by the caller), anything else an {@code unknown_type}
 * error listing the two types. Stateless; the frame checks and header validation live here too so both peers refuse
 * the same things with the same words.
 */
public final class PeerReplies {
    /** Serialises headers with the serializer looked up once, not on every reply. */
    public static final ObjectWriter HEADER_WRITER = Json.MAPPER.writerFor(JsonNode.class);

    /** The types a peer serves, sorted, as {@code unknown_type} errors list them. */
    private static final ArrayNode OPTIONS = Json.NODES.arrayNode().add("echo").add("ping");

    private PeerReplies() {
    }

    /** Whether the reply to this request carries the request's body back (only {@code echo} does). */
    public static boolean echoesBody(ObjectNode request) {
        return "echo".equals(typeOf(request));
    }

    /**
     * The reply header for a valid request. For {@code echo} the request header itself is reused (it belongs to the
     * caller, which is done with it), as the Courier server does.
     */
    public static ObjectNode reply(ObjectNode request) {
        String type = typeOf(request);
        if ("echo".equals(type)) {
            request.put(Message.OK, true);
            return request;
        }
        if ("ping".equals(type)) {
            return Message.replyTo(new Message(request)).with("time", System.currentTimeMillis()).header();
        }
        ObjectNode error = Message.error(type, idOf(request), ErrorCode.UNKNOWN_TYPE, "no handler for type '" + type
                + "'; the \"options\" field lists the types this server knows").header();
        ((ObjectNode) error.get(Message.ERROR)).set("options", OPTIONS.deepCopy());
        return error;
    }

    /**
     * Parses a frame's header bytes into a request header.
     *
     * @throws ProtocolException {@code malformed} (out of sync: reply, then close) when the bytes are not JSON,
     *                           {@code bad_request} (in sync) when they are JSON but not an object with a string type
     */
    public static ObjectNode parseHeader(byte[] bytes, int offset, int length) throws ProtocolException {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(bytes, offset, length);
        } catch (java.io.IOException e) {
            throw malformed(e);
        }
        return requireRequest(root);
    }

    /** As {@link #parseHeader(byte[], int, int)}, from a stream holding exactly the header's bytes. */
    public static ObjectNode parseHeader(java.io.InputStream bytes) throws ProtocolException {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(bytes);
        } catch (java.io.IOException e) {
            throw malformed(e);
        }
        return requireRequest(root);
    }

    /**
     * Checks a frame's declared lengths. Returns {@code null} when they are acceptable, else the {@code too_large}
     * error: the frame's {@code H + B} bytes are then skipped and the connection stays in sync. A zero header length
     * is {@code malformed} (out of sync).
     */
    public static ProtocolException checkLengths(long headerLength, long bodyLength, int maxHeaderBytes,
                                                 int maxBodyBytes) {
        if (headerLength == 0) {
            return new ProtocolException(ErrorCode.MALFORMED, false,
                    "frame header length 0: every frame needs a JSON header of at least 1 byte");
        }
        if (headerLength > maxHeaderBytes) {
            return new ProtocolException(ErrorCode.TOO_LARGE, true, "frame header length " + headerLength
                    + " exceeds max-header-bytes " + maxHeaderBytes + "; the frame was skipped");
        }
        if (bodyLength > maxBodyBytes) {
            return new ProtocolException(ErrorCode.TOO_LARGE, true, "frame body length " + bodyLength
                    + " exceeds max-body-bytes " + maxBodyBytes + "; the frame was skipped");
        }
        return null;
    }

    /** The error a client whose first byte starts no framing gets (as one JSON-text line), before the close. */
    public static ObjectNode unknownProtocol(byte firstByte) {
        return Message.error(null, null, ErrorCode.UNKNOWN_PROTOCOL, String.format(
                "the first byte 0x%02x is not 0x00: this peer speaks binary frames only "
                        + "(u32 header length, u32 body length, JSON header, body)", firstByte & 0xff)).header();
    }

    /** A header as one JSON-text line: the object and a newline. */
    public static byte[] toTextLine(ObjectNode header) {
        return (header.toString() + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** The header as UTF-8 JSON bytes. */
    public static byte[] toBytes(ObjectNode header) {
        try {
            return HEADER_WRITER.writeValueAsBytes(header);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a header tree", e);
        }
    }

    private static ObjectNode requireRequest(JsonNode root) throws ProtocolException {
        if (!(root instanceof ObjectNode)) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, true,
                    "the header must be a JSON object like {\"type\":\"ping\"}");
        }
        ObjectNode header = (ObjectNode) root;
        if (typeOf(header) == null) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, true,
                    "the header needs a non-empty string \"type\", e.g. \"type\":\"ping\"", null, idOf(header));
        }
        return header;
    }

    private static ProtocolException malformed(java.io.IOException e) {
        String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst()
                .orElse("");
        return new ProtocolException(ErrorCode.MALFORMED, false, "the frame header is not valid JSON: " + reason);
    }

    private static String typeOf(ObjectNode header) {
        JsonNode type = header.get(Message.TYPE);
        return type != null && type.isTextual() && !type.textValue().isEmpty() ? type.textValue() : null;
    }

    private static JsonNode idOf(ObjectNode header) {
        JsonNode id = header.get(Message.ID);
        return id == null || id.isNull() ? null : id;
    }
}
