package io.courier.protocol;

import java.nio.ByteBuffer;

/**
 * A message body held in a {@link BufferPool}'s buffer from the socket to the reply, with a count of its holders:
 * the message it arrived in, and every write queue that sends it without a copy. The last {@link #release} gives
 * the buffer back. Counting happens on the pool's thread only (the event loop); the bytes may be read anywhere
 * while a holder keeps them.
 */
public final class PooledBody {
    private final BufferPool pool;
    private final ByteBuffer buffer;
    private final int length;
    private final Thread owner;
    private int filled;
    private int holders = 1;

    private PooledBody(BufferPool pool, ByteBuffer buffer, int length) {
        this.pool = pool;
        this.buffer = buffer;
        this.length = length;
        this.owner = Thread.currentThread();
    }

    /** An empty body of {@code length} bytes in a buffer of {@code pool}, held once (by its decoder). */
    static PooledBody take(BufferPool pool, int length) {
        ByteBuffer buffer = pool.take(length);
        buffer.limit(length); // absolute puts stay within the limit
        return new PooledBody(pool, buffer, length);
    }

    /** Copies what is still missing from {@code in}; true once all {@link #length} bytes are here. */
    boolean fill(ByteBuffer in) {
        int take = Math.min(in.remaining(), length - filled);
        buffer.put(filled, in, in.position(), take);
        in.position(in.position() + take);
        filled += take;
        return filled == length;
    }

    public int length() {
        return length;
    }

    /** The bytes its buffer takes (a power of two at least {@link #length}), for memory accounting. */
    int capacity() {
        return buffer.capacity();
    }

    /** The bytes in a new array. */
    byte[] copy() {
        byte[] bytes = new byte[length];
        buffer.get(0, bytes);
        return bytes;
    }

    /**
     * A read-only buffer over the bytes (position 0, limit {@link #length}) for a gathering write; valid while the
     * caller holds the body ({@link #retain}). Read-only, so that a pool never mistakes it for one of its own.
     */
    public ByteBuffer view() {
        return buffer.asReadOnlyBuffer().position(0).limit(length);
    }

    /** One more holder. */
    public void retain() {
        checkOwner();
        if (holders <= 0) {
            throw new IllegalStateException("a released body cannot be held again");
        }
        holders++;
    }

    /** One holder fewer; the last gives the buffer back to its pool. */
    public void release() {
        checkOwner();
        if (holders <= 0) {
            throw new IllegalStateException("body released more often than it was held");
        }
        if (--holders == 0) {
            pool.release(buffer);
        }
    }

    /** Whether the calling thread may count holders (the pool's thread). */
    boolean ownedByCaller() {
        return Thread.currentThread() == owner;
    }

    private void checkOwner() {
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("a pooled body is counted on its event loop only, not on "
                    + Thread.currentThread().getName());
        }
    }
}
