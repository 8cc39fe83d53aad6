package io.courier.protocol;

import java.nio.ByteBuffer;

/**
 * Buffers a server reuses from message to message, so that a large body is received into memory that is already
 * in cache instead of a new, zeroed array (issue 12: allocating the 16 KiB body arrays took a fifth of the
 * loop's time in a 16 KiB echo, most of it waiting on cold memory). One pool per event loop; only its thread may
 * call it.
 */
public interface BufferPool {
    /** An empty buffer (position 0, limit 0) of at least {@code size} bytes; {@code size} is at most {@link #largest}. */
    ByteBuffer take(int size);

    /** A buffer taken from this pool that nothing uses any more. */
    void release(ByteBuffer buffer);

    /** The largest size {@link #take} hands out. */
    int largest();
}
