package io.courier.loadtest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.courier.protocol.ByteSink;
import io.courier.protocol.Json;
import io.courier.protocol.Message;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.zip.CRC32;

/**
 * Builds the requests of a run and knows what their echo must contain. A request is
 * {@code {"type": T, "id": N, ...template fields, "pad": FILLER}} plus a body. The filler is one random string
 * sized so the header comes to about {@code header-bytes}; bodies come from a small pool of random arrays (picked
 * by id, so a reply carrying another request's body is caught) whose CRC32s are computed once.
 *
 * <p>Immutable after construction and shared by every client thread (Jackson nodes are safe to read
 * concurrently; requests only reference the template's values, never change them).
 */
final class RequestFactory {
    /** The header field that pads a request to {@code header-bytes}. */
    static final String FILLER_FIELD = "pad";
    /** Header fields the template may not set: the client owns them. */
    static final Set<String> RESERVED = Set.of(Message.TYPE, Message.ID, Message.OK, Message.ERROR,
            Message.BODY_BASE64, FILLER_FIELD);

    private static final int MAX_POOL = 16;
    private static final long POOL_BYTES_BUDGET = 64L << 20;
    private static final String FILLER_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    /** A typical id's digit count when sizing the filler. */
    private static final long TYPICAL_ID = 1_000_000;

    private final String type;
    private final ObjectNode template;
    private final String filler;
    private final byte[][] bodies;
    private final long[] bodyCrcs;
    /** A binary request's header is HEAD + id digits + TAIL: built once, so sending costs no JSON work. */
    private final byte[] headerHead;
    private final byte[] headerTail;

    RequestFactory(String type, ObjectNode template, int headerBytes, int bodyBytes, long seed) {
        if (type == null || type.isEmpty()) {
            throw new IllegalArgumentException("the request type must be a non-empty string");
        }
        for (String reserved : RESERVED) {
            if (template.has(reserved)) {
                throw new IllegalArgumentException("the header template may not set \"" + reserved
                        + "\": the client sets it (use --type for the type)");
            }
        }
        this.type = type;
        this.template = template.deepCopy();
        SplittableRandom random = new SplittableRandom(seed);
        this.filler = makeFiller(headerBytes, random);
        int poolSize = bodyBytes == 0 ? 1 : (int) Math.max(1, Math.min(MAX_POOL, POOL_BYTES_BUDGET / bodyBytes));
        this.bodies = new byte[poolSize][];
        this.bodyCrcs = new long[poolSize];
        for (int i = 0; i < poolSize; i++) {
            byte[] body = new byte[bodyBytes];
            random.nextBytes(body);
            bodies[i] = body;
            bodyCrcs[i] = crc32(body);
        }
        this.headerHead = ("{\"type\":" + quote(type) + ",\"id\":").getBytes(StandardCharsets.UTF_8);
        this.headerTail = tail(this.template, filler);
    }

    private static String quote(String text) {
        return Json.NODES.textNode(text).toString();
    }

    /** What follows the id: the template's fields and the filler, serialised once. */
    private static byte[] tail(ObjectNode template, String filler) {
        ObjectNode rest = template.deepCopy();
        if (filler != null) {
            rest.put(FILLER_FIELD, filler);
        }
        String json = rest.toString(); // "{...}" or "{}"
        return (rest.isEmpty() ? "}" : "," + json.substring(1)).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Writes request {@code id} as a binary frame straight into {@code out}: the same request as
     * {@link #create(long)}, without building or serialising a tree (the client must outpace the server).
     */
    void writeBinaryFrame(long id, ByteSink out) {
        byte[] digits = Long.toString(id).getBytes(StandardCharsets.US_ASCII);
        byte[] body = bodies[poolIndex(id)];
        int headerLength = headerHead.length + digits.length + headerTail.length;
        byte[] prefix = {
            (byte) (headerLength >>> 24), (byte) (headerLength >>> 16), (byte) (headerLength >>> 8), (byte) headerLength,
            (byte) (body.length >>> 24), (byte) (body.length >>> 16), (byte) (body.length >>> 8), (byte) body.length};
        out.write(prefix, 0, prefix.length);
        out.write(headerHead, 0, headerHead.length);
        out.write(digits, 0, digits.length);
        out.write(headerTail, 0, headerTail.length);
        out.write(body, 0, body.length);
    }

    /** Pings for hold mode: no template, no padding, no body. */
    static RequestFactory pings() {
        return new RequestFactory("ping", Json.NODES.objectNode(), 0, 0, 0);
    }

    /** The request with id {@code id}. */
    Message create(long id) {
        ObjectNode header = Json.NODES.objectNode();
        header.put(Message.TYPE, type);
        header.put(Message.ID, id);
        for (Map.Entry<String, JsonNode> field : template.properties()) {
            header.set(field.getKey(), field.getValue());
        }
        if (filler != null) {
            header.put(FILLER_FIELD, filler);
        }
        return new Message(header, bodies[poolIndex(id)]);
    }

    String type() {
        return type;
    }

    ObjectNode template() {
        return template;
    }

    /** The filler string every request carries, or {@code null} when the header needs no padding. */
    String filler() {
        return filler;
    }

    int bodyLength() {
        return bodies[0].length;
    }

    /** The CRC32 the echo of request {@code id} must have. */
    long expectedBodyCrc(long id) {
        return bodyCrcs[poolIndex(id)];
    }

    /** Size of the JSON header of a typical request, in bytes (what {@code header-bytes} aims at). */
    int typicalHeaderBytes() {
        return headerSize(create(TYPICAL_ID).header());
    }

    static long crc32(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length);
        return crc.getValue();
    }

    private int poolIndex(long id) {
        return (int) Math.floorMod(id, (long) bodies.length);
    }

    private String makeFiller(int headerBytes, SplittableRandom random) {
        if (headerBytes <= 0) {
            return null;
        }
        ObjectNode probe = Json.NODES.objectNode();
        probe.put(Message.TYPE, type);
        probe.put(Message.ID, TYPICAL_ID);
        probe.setAll(template);
        int base = headerSize(probe);
        int overhead = (",\"" + FILLER_FIELD + "\":\"\"").length();
        int length = headerBytes - base - overhead;
        if (length <= 0) {
            return null;
        }
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(FILLER_CHARS.charAt(random.nextInt(FILLER_CHARS.length())));
        }
        return text.toString();
    }

    private static int headerSize(ObjectNode header) {
        try {
            return Json.MAPPER.writeValueAsBytes(header).length;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a header", e);
        }
    }
}
