package io.courier.protocol;

/** The two framings one port speaks; the first byte a client sends picks one for the life of the connection. */
public enum Framing {
    /** u32 header length, u32 body length, JSON header, raw body. First byte 0x00. */
    BINARY,
    /** JSON objects one after another, glued or separated by whitespace; bodies travel as body_base64. */
    JSON_TEXT;

    /**
     * The framing a connection's first byte starts, or {@code null} when it starts none (PROTOCOL.md: the client
     * then gets an {@code unknown_protocol} error and the connection closes).
     */
    public static Framing detect(byte firstByte) {
        switch (firstByte) {
            case 0x00:
                return BINARY;
            case '{': case ' ': case '\t': case '\r': case '\n':
                return JSON_TEXT;
            default:
                return null;
        }
    }

    /** A new incremental decoder for this framing. */
    public MessageDecoder newDecoder(Limits limits) {
        return newDecoder(limits, null);
    }

    /**
     * A new decoder that receives large binary-frame bodies into {@code bodies}' buffers (the decoder and the
     * messages it makes must then be used on the pool's thread; see {@link PooledBody}); null for arrays only.
     */
    public MessageDecoder newDecoder(Limits limits, BufferPool bodies) {
        return this == BINARY ? new FrameDecoder(limits, bodies) : new JsonStreamDecoder(limits);
    }

    /** The encoder for this framing (stateless, shareable). */
    public MessageEncoder encoder() {
        return this == BINARY ? FrameEncoder.INSTANCE : JsonTextEncoder.INSTANCE;
    }

    /** A one-sentence description of what the first byte must be, for the unknown_protocol error. */
    public static String expectation(byte firstByte) {
        return String.format("the first byte 0x%02x starts no known framing: send 0x00 for binary frames "
                + "(u32 header length, u32 body length, header, body) or '{' for JSON text", firstByte & 0xff);
    }
}
