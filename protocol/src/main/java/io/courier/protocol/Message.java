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
 *
 * <p>A server receives a large binary-frame body into a pooled buffer ({@link PooledBody}) instead of an array:
 * {@link #body()} copies it into an array the first time it is called (that array is the caller's to keep), and
 * a request that becomes its own reply ({@link #asReply()}) is written from the pooled buffer with no copy at all.
 * The server gives the buffer back when the handler returns ({@link #releaseBody()}).
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
    /** The body as an array; null when it arrived in a pooled buffer ({@link #held}). */
    private final byte[] body;
    /** A body in a pooled buffer, else null. */
    private final HeldBody held;
    /** {@link #asReply()} made this request its own reply. */
    private boolean becameReply;
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
        this.held = null;
    }

    private Message(byte[] rawHeader, HeaderScan scan, boolean prependOk, byte[] body) {
        this.rawHeader = rawHeader;
        this.scan = scan;
        this.prependOk = prependOk;
        this.body = body == null ? NO_BODY : body;
        this.held = null;
    }

    private Message(byte[] rawHeader, HeaderScan scan, PooledBody body) {
        this.rawHeader = rawHeader;
        this.scan = scan;
        this.body = null;
        this.held = new HeldBody(body);
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

    /** The same, with a body in a pool's buffer; the message holds it once. */
    static Message lazyPooled(byte[] rawHeader, HeaderScan scan, PooledBody body) {
        return new Message(rawHeader, scan, body);
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
     *
     * <p>The request is handed over with its body: when the reply goes out from the server's pooled buffer (a
     * large binary-frame body), that buffer is reused once the handler has returned, and {@link #body()} then
     * fails. A handler that keeps the body calls {@link #body()} first; the array it gets is its own.
     */
    public Message asReply() {
        becameReply = true;
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

    /**
     * The body bytes, shared (not a copy): do not modify. A body still in the server's pooled buffer is copied into
     * an array on the first call; the array is then the message's for good.
     *
     * @throws IllegalStateException if this request was sent as its own reply ({@link #asReply()}) with its body
     *                               still pooled and its handler has returned: the buffer is reused by then
     */
    public byte[] body() {
        if (held == null) {
            return body;
        }
        byte[] bytes = held.bytes();
        if (bytes == null) {
            throw new IllegalStateException("the body of this '" + type() + "' went out as its own reply (asReply) "
                    + "and its buffer was reused when the handler returned; call body() before replying to keep it");
        }
        return bytes;
    }

    public int bodyLength() {
        return held == null ? body.length : held.length();
    }

    /**
     * The body's pooled buffer for an encoder to send without a copy, or null when the body is an array (or the
     * caller is not the pool's thread, which must read {@link #body()} instead). The caller may use it only during
     * the call unless it {@link PooledBody#retain retains} it.
     */
    PooledBody pooledBody() {
        return held == null ? null : held.forEncoder();
    }

    /** An encoder is handing {@link #pooledBody()} to its sink: see {@link #releaseBody()}. */
    void sendingPooledBody() {
        held.sending();
    }

    /**
     * For the server, on its event loop, once the handler of this request has returned: a body still in a pooled
     * buffer goes back to the pool. If the request went out as its own reply that buffer is now the write queue's
     * alone and the body is no longer readable here ({@link #asReply()}); otherwise it is first copied into an
     * array, since the handler may have kept the message. Nothing happens for other messages or threads.
     */
    public void releaseBody() {
        if (held != null) {
            held.release(becameReply);
        }
    }

    /** A message with the same header (shared, not copied) and the given body. */
    public Message withBody(byte[] newBody) { // the copy is never pool-backed: newBody is an array
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
        if (bodyLength() == 0) {
            return text;
        }
        return text + " +" + bodyLength() + " body bytes";
    }
}
