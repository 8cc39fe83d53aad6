package io.courier.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.Arrays;
import java.util.List;

/**
 * Writes a header field by field straight into bytes, exactly as Jackson serialises the equivalent tree (the same
 * field order, escapes and number spelling), so a reply built here needs no {@code ObjectNode} and no serialiser.
 * Built-in replies and room events are written this way: building a Jackson tree and serialising it was the
 * largest cost of a {@code ping} in the profiles of issue 12. The message it makes is lazy, like one decoded from
 * a binary frame: encoders copy its bytes, and a handler that still wants the tree gets it parsed on demand.
 *
 * <p>Field names are written as given and must not repeat (a tree would keep only the last value): callers pass
 * their own constants. Values the writer does not spell itself (fractions, big numbers, nested objects, strings
 * with unpaired surrogates) are handed to Jackson one value at a time, so the bytes are always Jackson's.
 */
public final class HeaderWriter {
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** The fields every header starts with, spelled once: {@code {"type":}, {@code ,"id":}, {@code ,"ok":true}. */
    private static final byte[] OPEN_TYPE = spelled("{\"" + Message.TYPE + "\":");
    private static final byte[] ID = spelled(",\"" + Message.ID + "\":");
    private static final byte[] OK_TRUE = spelled(",\"" + Message.OK + "\":true");

    /** A scratch buffer grown past this is not kept for the thread's next header. */
    private static final int MAX_SCRATCH = 64 * 1024;
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /**
     * A thread's buffer for the header it is writing: a header is written into it and copied out once, at its
     * exact length, so a reply costs one array instead of a growing one and its copy. A writer started while the
     * thread's scratch is taken (two headers written at once) uses an array of its own.
     */
    private static final class Scratch {
        byte[] bytes = new byte[256];
        boolean taken;
    }

    private final String type;
    private final JsonNode id;
    private final boolean reply;
    /** The thread's scratch while this writer holds it, else null. */
    private Scratch scratch;
    private byte[] bytes;
    private int size;

    private HeaderWriter(String type, JsonNode id, boolean reply) {
        this.type = type;
        this.id = id;
        this.reply = reply;
        Scratch own = SCRATCH.get();
        if (own.taken) {
            bytes = new byte[128];
        } else {
            own.taken = true;
            scratch = own;
            bytes = own.bytes;
        }
        bytes(OPEN_TYPE);
        string(type);
        if (id != null) {
            bytes(ID);
            value(id);
        }
        if (reply) {
            bytes(OK_TRUE);
        }
    }

    /** A successful reply to {@code request}: {@code {"type","id"?,"ok":true}}, as {@link Message#replyTo}. */
    public static HeaderWriter replyTo(Message request) {
        return new HeaderWriter(request.type(), request.id(), true);
    }

    /** An event or request of {@code type} (no id, no ok), as {@link Message#of}. */
    public static HeaderWriter of(String type) {
        return new HeaderWriter(type, null, false);
    }

    public HeaderWriter field(String name, String value) {
        if (value == null) {
            return nullField(name);
        }
        comma(name);
        string(value);
        return this;
    }

    public HeaderWriter field(String name, long value) {
        comma(name);
        number(value);
        return this;
    }

    public HeaderWriter field(String name, boolean value) {
        comma(name);
        ascii(value ? "true" : "false");
        return this;
    }

    /** An array of strings. */
    public HeaderWriter field(String name, List<String> values) {
        comma(name);
        raw('[');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                raw(',');
            }
            String value = values.get(i);
            if (value == null) {
                ascii("null");
            } else {
                string(value);
            }
        }
        raw(']');
        return this;
    }

    /** Any JSON value, spelled as Jackson spells it inside a tree; null is JSON null. */
    public HeaderWriter field(String name, JsonNode value) {
        comma(name);
        value(value);
        return this;
    }

    private HeaderWriter nullField(String name) {
        comma(name);
        ascii("null");
        return this;
    }

    /** The message with this header and no body. The writer must not be used afterwards. */
    public Message message() {
        return message(null);
    }

    /** The message with this header and {@code body} (shared, not copied). The writer must not be used afterwards. */
    public Message message(byte[] body) {
        raw('}');
        byte[] header = size == bytes.length && scratch == null ? bytes : Arrays.copyOf(bytes, size);
        release();
        bytes = null; // a writer used after its message fails at once, instead of writing into a scratch in use
        return Message.built(header, type, id, reply, body);
    }

    /** Gives the scratch back to the thread (kept grown, up to MAX_SCRATCH). */
    private void release() {
        if (scratch != null) {
            if (bytes.length <= MAX_SCRATCH) {
                scratch.bytes = bytes;
            }
            scratch.taken = false;
            scratch = null;
        }
    }

    /**
     * A writer that failed midway is likely abandoned without a message: the thread's scratch must not stay taken
     * by it. It keeps a copy of its bytes in case its caller goes on.
     */
    private void abandon() {
        byte[] own = Arrays.copyOf(bytes, bytes.length);
        release();
        bytes = own;
    }

    /**
     * Which of a header's fields {@link #fieldsOf} copies, and with what value. It may be asked more than once about
     * the same field (when the source's bytes turn out to need its tree), so answers should depend on the name.
     */
    public interface FieldRule {
        /** Whether the source's field {@code name} goes into the new header (with its value as it is). */
        boolean keeps(String name);

        /** A string to write as the value of the source's field {@code name} instead of its own, or null. */
        default String replacement(String name) {
            return null;
        }
    }

    /**
     * Copies {@code source}'s top-level fields in their order, those {@code rule} keeps or replaces, spelled byte for
     * byte as its tree would serialise them. A lazy source (a binary frame's header, another writer's) is copied
     * from its bytes without building its tree ({@link RawFieldCopier}); a room's {@code room.say} becomes its
     * {@code room.message} this way. The names must not repeat fields this writer has.
     */
    public HeaderWriter fieldsOf(Message source, FieldRule rule) {
        byte[] raw = source.rawHeader();
        if (raw != null && !source.prependsOk()) {
            int mark = size;
            try {
                if (RawFieldCopier.copy(raw, source.rawOpenBrace(), this, rule)) {
                    return this;
                }
            } catch (RuntimeException e) {
                abandon(); // a rule that threw
                throw e;
            }
            size = mark; // the bytes need the tree: take back what was copied
        }
        for (java.util.Map.Entry<String, JsonNode> field : source.header().properties()) {
            String name = field.getKey();
            String replacement = rule.replacement(name);
            if (replacement != null) {
                field(name, replacement);
            } else if (rule.keeps(name)) {
                field(name, field.getValue());
            }
        }
        return this;
    }

    /** A field name copied from a header's bytes ({@code from} is its opening quote; it holds no escape). */
    void rawName(byte[] source, int from, int to) {
        raw(',');
        bytes(source, from, to - from);
        raw(':');
    }

    /** A value copied from a header's bytes, already spelled as Jackson spells it. */
    void rawValue(byte[] source, int from, int to) {
        bytes(source, from, to - from);
    }

    void stringValue(String text) {
        string(text);
    }

    void jsonValue(JsonNode value) {
        value(value);
    }

    private void comma(String name) {
        raw(',');
        name(name);
    }

    private void name(String name) {
        string(name);
        raw(':');
    }

    private void value(JsonNode value) {
        if (value == null || value.isNull()) {
            ascii("null");
        } else if (value.isTextual()) {
            string(value.textValue());
        } else if (value.isInt() || value.isLong()) {
            number(value.longValue());
        } else if (value.isBoolean()) {
            ascii(value.booleanValue() ? "true" : "false");
        } else {
            jackson(value);
        }
    }

    /** Jackson's own spelling of one value: fractions, big numbers, arrays, objects. */
    private void jackson(Object value) {
        byte[] spelled;
        try {
            spelled = Json.MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            abandon();
            throw new IllegalArgumentException("cannot write a header value: " + e.getOriginalMessage(), e);
        }
        bytes(spelled);
    }

    /** A JSON string: UTF-8, with Jackson's escapes (the short ones, else backslash-u with upper-case hex). */
    private void string(String text) {
        int length = text.length();
        ensure(length * 3 + 2);
        int start = size;
        bytes[size++] = '"';
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                if (c >= 0x20 && c != '"' && c != '\\') {
                    bytes[size++] = (byte) c;
                } else {
                    escape(c);
                }
            } else if (c < 0x800) {
                bytes[size++] = (byte) (0xc0 | (c >> 6));
                bytes[size++] = (byte) (0x80 | (c & 0x3f));
            } else if (!Character.isSurrogate(c)) {
                bytes[size++] = (byte) (0xe0 | (c >> 12));
                bytes[size++] = (byte) (0x80 | ((c >> 6) & 0x3f));
                bytes[size++] = (byte) (0x80 | (c & 0x3f));
            } else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
                int point = Character.toCodePoint(c, text.charAt(++i));
                bytes[size++] = (byte) (0xf0 | (point >> 18));
                bytes[size++] = (byte) (0x80 | ((point >> 12) & 0x3f));
                bytes[size++] = (byte) (0x80 | ((point >> 6) & 0x3f));
                bytes[size++] = (byte) (0x80 | (point & 0x3f));
            } else {
                size = start; // an unpaired surrogate: whatever Jackson does with it (it refuses), it does here
                jackson(text);
                return;
            }
        }
        bytes[size++] = '"';
    }

    private void escape(char c) {
        ensure(6);
        bytes[size++] = '\\';
        switch (c) {
            case '"' -> bytes[size++] = '"';
            case '\\' -> bytes[size++] = '\\';
            case '\b' -> bytes[size++] = 'b';
            case '\t' -> bytes[size++] = 't';
            case '\n' -> bytes[size++] = 'n';
            case '\f' -> bytes[size++] = 'f';
            case '\r' -> bytes[size++] = 'r';
            default -> {
                bytes[size++] = 'u';
                bytes[size++] = '0';
                bytes[size++] = '0';
                bytes[size++] = HEX[c >> 4];
                bytes[size++] = HEX[c & 0xf];
            }
        }
    }

    /** A number in decimal as Jackson spells it; only Long.MIN_VALUE, which has no positive twin, goes via a String. */
    private void number(long value) {
        if (value == Long.MIN_VALUE) {
            ascii(Long.toString(value));
            return;
        }
        if (value < 0) {
            raw('-');
            value = -value;
        }
        int count = DecimalDigits.count(value);
        ensure(count);
        size += count;
        DecimalDigits.write(value, bytes, size);
    }

    private void bytes(byte[] spelled) {
        bytes(spelled, 0, spelled.length);
    }

    private void bytes(byte[] source, int from, int length) {
        ensure(length);
        System.arraycopy(source, from, bytes, size, length);
        size += length;
    }

    private static byte[] spelled(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    private void ascii(String text) {
        ensure(text.length());
        for (int i = 0; i < text.length(); i++) {
            bytes[size++] = (byte) text.charAt(i);
        }
    }

    private void raw(char c) {
        ensure(1);
        bytes[size++] = (byte) c;
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }
}
