package io.courier.protocol.tls;

import java.nio.ByteBuffer;

/**
 * Bytes a TLS connection keeps between calls: the start of a record whose rest has not arrived
 * ({@link TlsEngineDriver}), or records the socket did not take ({@link TlsRecordWriter}). Holds no buffer while
 * empty, which is nearly always. Loop-thread only.
 */
final class HeldBytes {
    /** Readable (position..limit are the held bytes), or null when nothing is held. */
    private ByteBuffer bytes;

    boolean isEmpty() {
        return bytes == null;
    }

    int size() {
        return bytes == null ? 0 : bytes.remaining();
    }

    /** Memory held, for the bound checks. */
    int capacity() {
        return bytes == null ? 0 : bytes.capacity();
    }

    /** The held bytes as a readable buffer (to unwrap from, or write from); call {@link #releaseIfDrained} after. */
    ByteBuffer buffer() {
        return bytes;
    }

    /** Forgets the buffer once its bytes have all been used. */
    void releaseIfDrained() {
        if (bytes != null && !bytes.hasRemaining()) {
            bytes = null;
        }
    }

    void clear() {
        bytes = null;
    }

    /** Keeps all remaining bytes of {@code more} behind those held. */
    void add(ByteBuffer more) {
        addUpTo(more, Integer.MAX_VALUE);
    }

    /** Moves bytes of {@code src} behind those held until {@code total} are held (or src is empty). */
    void addUpTo(ByteBuffer src, int total) {
        int take = (int) Math.min(src.remaining(), Math.max(0L, (long) total - size()));
        if (take == 0) {
            return;
        }
        ByteBuffer part = src.slice();
        part.limit(take);
        src.position(src.position() + take);
        if (bytes == null) {
            bytes = ByteBuffer.allocate(take).put(part).flip();
        } else if (bytes.capacity() - bytes.remaining() < take) {
            bytes = ByteBuffer.allocate(bytes.remaining() + take).put(bytes).put(part).flip();
        } else {
            bytes.compact().put(part).flip();
        }
    }
}
