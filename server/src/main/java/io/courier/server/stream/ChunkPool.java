package io.courier.server.stream;

import io.courier.protocol.BufferPool;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * Write-queue chunks kept for reuse, one pool per event loop. Before it, every connection that got a reply or a
 * room's event in a loop turn allocated (and the JVM zeroed) a fresh chunk of at least 1 KiB, and dropped it when
 * the turn's write drained the queue: in a fan-out to 1,000 members that was 88% of the bytes the loop allocated
 * (JFR, issue 12). Chunks are direct buffers, so the socket write also skips the JDK's copy of a heap buffer into
 * a temporary direct one.
 *
 * <p>Sizes are powers of two from 1 KiB to 64 KiB. Each size keeps at most {@link #KEEP_BYTES_PER_SIZE} of free
 * chunks; past {@link #MAX_DIRECT_BYTES} of direct chunks alive (queued or free) the pool hands out heap chunks,
 * as before, so slow consumers holding many megabytes cannot make it reserve direct memory without bound (their
 * bytes count against max-buffered-bytes either way). A chunk dropped past its size's bound is freed at once
 * ({@link DirectMemory}), so {@link #directBytes()} is the direct memory the pool really holds.
 *
 * <p>The loop's decoders receive large bodies into the same chunks ({@link BufferPool}, {@code PooledBody}): an
 * echoed body then goes from the read buffer to its chunk and from there to the socket. Loop thread only.
 */
final class ChunkPool implements BufferPool {
    static final int MIN_CHUNK = 1024;
    static final int MAX_CHUNK = 64 * 1024;
    private static final int SIZES = Integer.numberOfTrailingZeros(MAX_CHUNK) - Integer.numberOfTrailingZeros(MIN_CHUNK) + 1;
    /**
     * Free chunks a size keeps. 2 MiB was too few for a fan-out to 1,000 members, each holding a chunk of 4 or 8 KiB
     * between turns: the surplus was freed and allocated again every turn (JFR: most of the loop's allocation
     * samples were {@code allocateDirect}), and the same fan-out cost 1.28x the CPU per delivery (issue 12).
     */
    static final int KEEP_BYTES_PER_SIZE = 8 * 1024 * 1024;
    static final long MAX_DIRECT_BYTES = 64L * 1024 * 1024;

    @SuppressWarnings("unchecked")
    private final ArrayDeque<ByteBuffer>[] free = new ArrayDeque[SIZES];
    /** Direct chunks that exist: handed out or free. */
    private long directBytes;

    ChunkPool() {
        for (int i = 0; i < SIZES; i++) {
            free[i] = new ArrayDeque<>();
        }
    }

    /** An empty chunk (position 0, limit 0) of at least {@code size} bytes, at most MAX_CHUNK. */
    @Override
    public ByteBuffer take(int size) {
        int index = index(size);
        ByteBuffer chunk = free[index].pollFirst();
        if (chunk == null) {
            int capacity = MIN_CHUNK << index;
            if (directBytes + capacity <= MAX_DIRECT_BYTES) {
                directBytes += capacity;
                chunk = ByteBuffer.allocateDirect(capacity);
            } else {
                chunk = ByteBuffer.allocate(capacity);
            }
        }
        chunk.position(0).limit(0);
        return chunk;
    }

    /**
     * A chunk its queue no longer uses; heap chunks (and the caller's shared arrays) are left to the GC, and so are
     * read-only buffers: views of a pooled body, whose chunk comes back when its last holder releases it.
     */
    @Override
    public void release(ByteBuffer chunk) {
        if (!chunk.isDirect() || chunk.isReadOnly()) {
            return;
        }
        int index = index(chunk.capacity());
        ArrayDeque<ByteBuffer> list = free[index];
        if ((long) (list.size() + 1) * chunk.capacity() <= KEEP_BYTES_PER_SIZE) {
            list.addFirst(chunk); // most recently used first: likelier still in cache
        } else {
            directBytes -= chunk.capacity();
            DirectMemory.free(chunk); // at once: left to the GC, dropped chunks pile up until a System.gc()
        }
    }

    @Override
    public int largest() {
        return MAX_CHUNK;
    }

    long directBytes() {
        return directBytes;
    }

    private static int index(int size) {
        int capacity = Math.max(MIN_CHUNK, Math.min(MAX_CHUNK, Integer.highestOneBit(Math.max(1, size - 1)) << 1));
        return Integer.numberOfTrailingZeros(capacity) - Integer.numberOfTrailingZeros(MIN_CHUNK);
    }
}
