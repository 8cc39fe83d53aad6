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
 *
 * <p>A message decoded from a binary frame starts lazily: it keeps the header's validated bytes and knows only its
 * {@code type}, {@code id} and whether it has {@code ok}. The tree is built the first time {@link #header()} is
 * called. Until then an encoder writes the original bytes back as they came, which is why echo and forwarding
 * cost no JSON parsing or serialisation.
 */
public final class Message {
    /** Written in front of a raw header's fields by {@link #asReply()}. */
    static final byte[] OK_FIELD = "\"ok\":true,".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private static final byte[] NO_BODY = new byte[0];

    /** Reserved header field names (PROTOCOL.md). */
    public static final String TYPE = "type";
    public static final String ID = "id";
    public static final String OK = "ok";
    public static final String ERROR = "error";
    public static final String BODY_BASE64 = "body_base64";

    /** The tree, or null while the message only has its raw header bytes. */
    private ObjectNode header;
    /** A binary frame's validated header bytes; null once the tree exists. */
    private byte[] rawHeader;
    private HeaderScan scan;
    /** {@link #asReply()} was called on a raw header: {@code "ok":true} goes in front of its fields. */
    private boolean prependOk;
    /** The raw header was written by {@link HeaderWriter}: compact JSON, byte for byte what Jackson writes. */
    private boolean built;
    private final byte[] body;
    /** Marked by {@link #shared()}: sent to many connections, so each framing encodes it once. */
    private boolean shared;
    /** The encodings kept for a shared message: the encoder that wrote each, and its bytes (two framings). */
    private MessageEncoder encodedBy;
    private byte[] encoded;
    private MessageEncoder encodedBy2;
    private byte[] encoded2;

    public Message(ObjectNode header, byte[] body) {
        this.header = Objects.requireNonNull(header, "header");
        this.body = body == null ? NO_BODY : body;
    }

    private Message(byte[] rawHeader, HeaderScan scan, boolean prependOk, byte[] body) {
        this.rawHeader = rawHeader;
        this.scan = scan;
        this.prependOk = prependOk;
        this.body = body == null ? NO_BODY : body;
    }

    /** A header {@link HeaderWriter} wrote; {@code reply} says it carries {@code "ok":true}. */
    static Message built(byte[] header, String type, JsonNode id, boolean reply, byte[] body) {
        Message message = new Message(header, HeaderScan.built(type, id, reply), false, body);
        message.built = true;
        return message;
    }

    /** A message over a scanned, valid binary header; the tree is built only on demand. */
    static Message lazy(byte[] rawHeader, HeaderScan scan, byte[] body) {
        return new Message(rawHeader, scan, false, body);
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

    /** The header tree (built now if the message was still lazy). Changes to it change the message. */
    public ObjectNode header() {
        if (header == null) {
            header = (ObjectNode) JsonTreeBuilder.parse(rawHeader);
            if (prependOk) {
                header.put(OK, true);
            }
            rawHeader = null;
            scan = null;
        }
        return header;
    }

    /**
     * This request turned into its own successful reply: every field, the same body, and {@code ok:true}. On a
     * lazy message no JSON is touched: the encoder writes {@code "ok":true} in front of the original fields.
     */
    public Message asReply() {
        if (header == null && !scan.hasOk) {
            prependOk = true;
        } else {
            header().put(OK, true);
        }
        return this;
    }

    /**
     * Marks this message as one that many connections send (a room's event): each framing's encoder then writes it
     * once ({@link #encodedOnce}) and every connection queues the same bytes, instead of serialising the header
     * once per member. The message must not change afterwards. Not thread-safe: share it on one thread (the
     * event loop).
     */
    public Message shared() {
        shared = true;
        return this;
    }

    public boolean isShared() {
        return shared;
    }

    /** What {@code encoder} writes for this message, encoded on the first call and kept for the next ones. */
    public byte[] encodedOnce(MessageEncoder encoder) {
        if (encodedBy == encoder) {
            return encoded;
        }
        if (encodedBy2 == encoder) {
            return encoded2;
        }
        int length = encoder.encodedLength(this);
        MessageEncoder.ArraySink sink = length < 0 ? new MessageEncoder.ArraySink() : new MessageEncoder.ArraySink(length);
        encoder.encode(this, sink);
        byte[] bytes = sink.toArray();
        if (encodedBy == null) {
            encodedBy = encoder;
            encoded = bytes;
        } else if (encodedBy2 == null) {
            encodedBy2 = encoder;
            encoded2 = bytes;
        }
        return bytes;
    }

    /** The length of a {@link HeaderWriter}'s header (what its tree would serialise to), or -1 for others. */
    public int builtHeaderLength() {
        return isBuilt() ? rawHeader.length : -1;
    }

    /** The raw header bytes while the message is lazy, else null (for encoders). */
    byte[] rawHeader() {
        return rawHeader;
    }

    /** Offset of the raw header's opening brace. */
    int rawOpenBrace() {
        return scan.openBrace;
    }

    /**
     * Whether the raw header is compact JSON as Jackson writes it (a {@link HeaderWriter}'s), so that a JSON-text
     * encoder may copy it as it is; a client's raw header may hold newlines and other spacing.
     */
    boolean isBuilt() {
        return built && rawHeader != null && !prependOk;
    }

    /** Whether the encoder must write {@code "ok":true} in front of the raw header's fields. */
    boolean prependsOk() {
        return prependOk;
    }

    /** The body bytes, shared (not a copy): do not modify. */
    public byte[] body() {
        return body;
    }

    public int bodyLength() {
        return body.length;
    }

    /** A message with the same header (shared, not copied) and the given body. */
    public Message withBody(byte[] newBody) {
        if (header != null) {
            return new Message(header, newBody);
        }
        Message copy = new Message(rawHeader, scan, prependOk, newBody);
        copy.built = built;
        return copy;
    }

    /** Sets a header field and returns this message, for building replies fluently. */
    public Message with(String field, String value) {
        header().put(field, value);
        return this;
    }

    public Message with(String field, long value) {
        header().put(field, value);
        return this;
    }

    public Message with(String field, boolean value) {
        header().put(field, value);
        return this;
    }

    public Message with(String field, JsonNode value) {
        header().set(field, value);
        return this;
    }

    /** The {@code type} field, or {@code null} when absent or not a string. */
    public String type() {
        if (header == null) {
            return scan.type;
        }
        JsonNode type = header.get(TYPE);
        return type != null && type.isTextual() ? type.textValue() : null;
    }

    /**
     * The top-level string field {@code name}, or null when absent or not a string. On a lazy message this reads
     * the header bytes in one streaming pass instead of building the tree.
     */
    public String textField(String name) {
        if (header == null) {
            return HeaderScan.findText(rawHeader, name);
        }
        JsonNode value = header.get(name);
        return value != null && value.isTextual() ? value.textValue() : null;
    }

    /** The {@code id} field as sent (number or string), or {@code null}. */
    public JsonNode id() {
        JsonNode id = header == null ? scan.id : header.get(ID);
        return id == null || id.isNull() ? null : id;
    }

    /** True for replies: they carry {@code ok}; requests and events do not. */
    public boolean isReply() {
        return header == null ? scan.hasOk || prependOk : header.has(OK);
    }

    public boolean isOk() {
        if (header == null && (built || !scan.hasOk)) {
            return scan.hasOk || prependOk; // a built header has "ok" only as true
        }
        return header().path(OK).asBoolean(false);
    }

    /** The error code of a failed reply, or {@code null}. */
    public String errorCode() {
        if (header == null && (built || !scan.hasOk)) {
            return null;
        }
        JsonNode code = header().path(ERROR).path("code");
        return code.isTextual() ? code.textValue() : null;
    }

    /** The error sentence of a failed reply, or {@code null}. */
    public String errorMessage() {
        if (header == null && (built || !scan.hasOk)) {
            return null;
        }
        JsonNode message = header().path(ERROR).path("message");
        return message.isTextual() ? message.textValue() : null;
    }

    /** Convenience for the {@code options} list that {@code unknown_type} errors carry. */
    public ArrayNode errorOptions() {
        JsonNode options = header().path(ERROR).path("options");
        return options.isArray() ? (ArrayNode) options : Json.NODES.arrayNode();
    }

    @Override
    public String toString() {
        String text = header().toString();
        if (body.length == 0) {
            return text;
        }
        return text + " +" + body.length + " body bytes";
    }
}
