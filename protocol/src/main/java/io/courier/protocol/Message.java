package io.courier.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Objects;

/**
 * One message: a JSON header (an object with at least {@code type}) and a body of raw bytes, possibly empty.
 *
 * <p>The body array is shared, never copied: whoever builds a message hands its bytes over and must not change
 * them afterwards. The header is a mutable Jackson tree so handlers can build replies field by field; a message
 * is owned by one thread at a time.
 */
public final class Message {
    private static final byte[] NO_BODY = new byte[0];

    /** Reserved header field names (PROTOCOL.md). */
    public static final String TYPE = "type";
    public static final String ID = "id";
    public static final String OK = "ok";
    public static final String ERROR = "error";
    public static final String BODY_BASE64 = "body_base64";

    private final ObjectNode header;
    private final byte[] body;

    public Message(ObjectNode header, byte[] body) {
        this.header = Objects.requireNonNull(header, "header");
        this.body = body == null ? NO_BODY : body;
    }

    public Message(ObjectNode header) {
        this(header, NO_BODY);
    }

    /** A new request or event of the given type with an empty body. */
    public static Message of(String type) {
        ObjectNode header = Json.NODES.objectNode();
        header.put(TYPE, type);
        return new Message(header);
    }

    /** A successful reply to {@code request}: its type and id, and {@code ok:true}. Add fields to its header. */
    public static Message replyTo(Message request) {
        ObjectNode header = Json.NODES.objectNode();
        header.put(TYPE, request.type());
        JsonNode id = request.id();
        if (id != null) {
            header.set(ID, id);
        }
        header.put(OK, true);
        return new Message(header);
    }

    /** An error reply to {@code request}. */
    public static Message errorReply(Message request, ErrorCode code, String sentence) {
        return error(request.type(), request.id(), code, sentence);
    }

    /**
     * An error reply in PROTOCOL.md's shape: {@code {"type", "id"?, "ok":false, "error":{"code","message"}}}.
     * A missing type becomes {@code "error"}.
     */
    public static Message error(String type, JsonNode id, ErrorCode code, String sentence) {
        ObjectNode header = Json.NODES.objectNode();
        header.put(TYPE, type == null || type.isEmpty() ? "error" : type);
        if (id != null && !id.isNull() && !id.isMissingNode()) {
            header.set(ID, id);
        }
        header.put(OK, false);
        ObjectNode error = header.putObject(ERROR);
        error.put("code", code.wireName());
        error.put("message", sentence);
        return new Message(header);
    }

    public ObjectNode header() {
        return header;
    }

    /** The body bytes, shared (not a copy): do not modify. */
    public byte[] body() {
        return body;
    }

    public int bodyLength() {
        return body.length;
    }

    /** A message with the same header and the given body. */
    public Message withBody(byte[] newBody) {
        return new Message(header, newBody);
    }

    /** Sets a header field and returns this message, for building replies fluently. */
    public Message with(String field, String value) {
        header.put(field, value);
        return this;
    }

    public Message with(String field, long value) {
        header.put(field, value);
        return this;
    }

    public Message with(String field, boolean value) {
        header.put(field, value);
        return this;
    }

    public Message with(String field, JsonNode value) {
        header.set(field, value);
        return this;
    }

    /** The {@code type} field, or {@code null} when absent or not a string. */
    public String type() {
        JsonNode type = header.get(TYPE);
        return type != null && type.isTextual() ? type.textValue() : null;
    }

    /** The {@code id} field as sent (number or string), or {@code null}. */
    public JsonNode id() {
        JsonNode id = header.get(ID);
        return id == null || id.isNull() ? null : id;
    }

    /** True for replies: they carry {@code ok}; requests and events do not. */
    public boolean isReply() {
        return header.has(OK);
    }

    public boolean isOk() {
        return header.path(OK).asBoolean(false);
    }

    /** The error code of a failed reply, or {@code null}. */
    public String errorCode() {
        JsonNode code = header.path(ERROR).path("code");
        return code.isTextual() ? code.textValue() : null;
    }

    /** The error sentence of a failed reply, or {@code null}. */
    public String errorMessage() {
        JsonNode message = header.path(ERROR).path("message");
        return message.isTextual() ? message.textValue() : null;
    }

    /** Convenience for the {@code options} list that {@code unknown_type} errors carry. */
    public ArrayNode errorOptions() {
        JsonNode options = header.path(ERROR).path("options");
        return options.isArray() ? (ArrayNode) options : Json.NODES.arrayNode();
    }

    @Override
    public String toString() {
        String text = header.toString();
        if (body.length == 0) {
            return text;
        }
        return text + " +" + body.length + " body bytes";
    }
}
