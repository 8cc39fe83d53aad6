package io.courier.protocol;


import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Decodes binary frames: {@code u32 H | u32 B | H bytes of UTF-8 JSON header | B bytes of body}, big-endian.
 *
 * <p>A frame over a limit is skipped exactly (its bytes are counted off, never stored) and reported as
 * {@code too_large}; the next frame decodes normally. When only the body is too large the header is still read
 * (it is within its limit) so the error can carry the request's type and id.
 *
 * <p>Given a {@link BufferPool} (a server's), a body over {@link #POOL_ABOVE} bytes that fits the pool's buffers
 * is received into one of them ({@link PooledBody}), provided at least half of it is already here: a peer that
 * promises a body and sends little of it is never given a whole buffer for it.
 */
final class FrameDecoder implements MessageDecoder {
    static final int PREFIX_BYTES = 8;

    private enum State { PREFIX, HEADER, BODY, SKIP }

    /** Bodies up to this long are plain arrays: copied next to their header on the way out anyway. */
    static final int POOL_ABOVE = FrameEncoder.COPY_BODY_BELOW;

    private final Limits limits;
    /** Where large bodies go, or null (clients, tests): arrays then. */
    private final BufferPool pool;
    private State state = State.PREFIX;

    // The 8-byte prefix is accumulated in a long rather than an array: nothing to allocate per connection.
    private long prefix;
    private int prefixFilled;

    private int headerLength;
    private long bodyLength;
    private GrowableBytes header;
    /** A complete, valid header waiting for its body. */
    private byte[] headerBytes;
    private HeaderScan scanned;
    private GrowableBytes body;
    private PooledBody pooledBody;
    private long skipRemaining;

    FrameDecoder(Limits limits) {
        this(limits, null);
    }

    FrameDecoder(Limits limits, BufferPool pool) {
        this.limits = limits;
        this.pool = pool;
    }

    @Override
    public void decode(ByteBuffer in, Sink sink) throws ProtocolException {
        while (in.hasRemaining()) {
            switch (state) {
                case PREFIX:
                    readPrefix(in, sink);
                    break;
                case HEADER:
                    readHeader(in, sink);
                    break;
                case BODY:
                    readBody(in, sink);
                    break;
                case SKIP:
                    skip(in);
                    break;
                default:
                    throw new AssertionError(state);
            }
        }
    }

    private void readPrefix(ByteBuffer in, Sink sink) throws ProtocolException {
        if (prefixFilled == 0 && in.remaining() >= PREFIX_BYTES) {
            // The usual case, a whole prefix at hand: one read, not eight of a byte each.
            long word = in.getLong();
            prefix = in.order() == ByteOrder.BIG_ENDIAN ? word : Long.reverseBytes(word);
            prefixFilled = PREFIX_BYTES;
        }
        while (prefixFilled < PREFIX_BYTES && in.hasRemaining()) {
            prefix = (prefix << 8) | (in.get() & 0xffL);
            prefixFilled++;
        }
        if (prefixFilled < PREFIX_BYTES) {
            return;
        }
        long declaredHeader = prefix >>> 32;
        bodyLength = prefix & 0xffff_ffffL;
        prefix = 0;
        prefixFilled = 0;

        if (declaredHeader > limits.maxHeaderBytes()) {
            startSkip(declaredHeader + bodyLength, sink, new ProtocolException(ErrorCode.TOO_LARGE, true,
                    "frame header length " + declaredHeader + " exceeds max-header-bytes " + limits.maxHeaderBytes()
                            + "; the frame was skipped, send smaller headers (the body goes after the header)"));
            return;
        }
        if (declaredHeader == 0) {
            startSkip(bodyLength, sink, new ProtocolException(ErrorCode.BAD_REQUEST, true,
                    "frame header length is 0; every frame needs a JSON object header such as {\"type\":\"ping\"}"));
            return;
        }
        headerLength = (int) declaredHeader;
        state = State.HEADER; // the header's bytes are gathered only if it is not all here (readHeader)
    }

    private void readHeader(ByteBuffer in, Sink sink) throws ProtocolException {
        byte[] bytes;
        if (header == null && in.remaining() >= headerLength) {
            bytes = new byte[headerLength]; // the whole header at hand: straight into its array
            in.get(bytes);
        } else {
            if (header == null) {
                header = new GrowableBytes(headerLength);
            }
            if (!header.fill(in)) {
                return;
            }
            bytes = header.finish();
            header = null;
        }
        HeaderScan scan = null;
        ProtocolException invalid = null;
        try {
            scan = HeaderScan.scan(bytes);
        } catch (ProtocolException e) {
            invalid = e;
        }
        if (bodyLength > limits.maxBodyBytes()) {
            startSkip(bodyLength, sink, new ProtocolException(ErrorCode.TOO_LARGE, true,
                    "frame body length " + bodyLength + " exceeds max-body-bytes " + limits.maxBodyBytes()
                            + "; the frame was skipped, send the data in smaller chunks",
                    scan == null ? null : scan.type, scan != null ? scan.id : invalid.requestId()));
            return;
        }
        if (invalid != null) {
            startSkip(bodyLength, sink, invalid);
            return;
        }
        if (bodyLength == 0) {
            deliver(Message.lazy(bytes, scan, null), sink);
            return;
        }
        headerBytes = bytes;
        scanned = scan;
        if (pool != null && bodyLength > POOL_ABOVE && bodyLength <= pool.largest()
                && in.remaining() >= bodyLength / 2) {
            pooledBody = PooledBody.take(pool, (int) bodyLength);
        } else {
            body = new GrowableBytes((int) bodyLength);
        }
        state = State.BODY;
    }

    private void readBody(ByteBuffer in, Sink sink) {
        Message message;
        if (pooledBody != null) {
            if (!pooledBody.fill(in)) {
                return;
            }
            message = Message.lazyPooled(headerBytes, scanned, pooledBody);
            pooledBody = null;
        } else {
            if (!body.fill(in)) {
                return;
            }
            message = Message.lazy(headerBytes, scanned, body.finish());
            body = null;
        }
        headerBytes = null;
        scanned = null;
        deliver(message, sink);
    }

    private void deliver(Message message, Sink sink) {
        state = State.PREFIX;
        sink.onMessage(message);
    }

    private void startSkip(long bytes, Sink sink, ProtocolException error) throws ProtocolException {
        if (!error.inSync()) {
            throw error;
        }
        sink.onError(error);
        skipRemaining = bytes;
        state = bytes == 0 ? State.PREFIX : State.SKIP;
    }

    private void skip(ByteBuffer in) {
        int step = (int) Math.min(in.remaining(), skipRemaining);
        in.position(in.position() + step);
        skipRemaining -= step;
        if (skipRemaining == 0) {
            state = State.PREFIX;
        }
    }

    @Override
    public boolean hasPartialMessage() {
        return state != State.PREFIX || prefixFilled > 0;
    }

    @Override
    public long bufferedBytes() {
        long held = prefixFilled;
        if (header != null) {
            held += header.capacity();
        }
        if (headerBytes != null) {
            held += headerBytes.length; // a complete header waiting for its body
        }
        if (body != null) {
            held += body.capacity();
        }
        if (pooledBody != null) {
            held += pooledBody.capacity(); // the whole chunk, as the array's capacity above
        }
        return held;
    }

    /** A body half received goes back to its pool. */
    @Override
    public void close() {
        if (pooledBody != null) {
            pooledBody.release();
            pooledBody = null;
        }
    }
}
