package io.courier.server.stream;

import io.courier.protocol.ByteSink;
import io.courier.protocol.PooledBody;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * The bytes a connection still has to write, as a queue of buffers. Encoders append small messages into an open
 * tail chunk (many replies, one buffer) and large bodies by reference (no copy): an array, or a pooled body held
 * until its bytes are written (its read-only view in the queue, the body in {@link #bodies}, both in order).
 * {@link #writeTo} sends as much as the socket takes with gathering writes. When the queue drains its chunks go
 * back to the loop's {@link ChunkPool}: an idle connection holds no buffer. Loop-thread only.
 */
final class WriteQueue implements ByteSink {
    private static final int MIN_CHUNK = ChunkPool.MIN_CHUNK;
    private static final int MAX_CHUNK = ChunkPool.MAX_CHUNK;
    /** Write attempts per flush before yielding to other connections (Netty's writeSpinCount). */
    private static final int MAX_WRITES_PER_FLUSH = 16;

    /** Where chunks come from and go back to: the loop's, shared by its connections. */
    private final ChunkPool pool;
    /**
     * Null until the first reply; then kept (about 60 bytes) while the connection lives, because dropping it when
     * the queue drained made a busy connection allocate a new one every loop turn (JFR, issue 12). The chunks go
     * back to the pool as soon as they are written, so an idle connection still holds no buffer.
     */
    private ArrayDeque<ByteBuffer> buffers;
    /** The pooled bodies whose views are in {@link #buffers}, in the same order; null until the first. */
    private ArrayDeque<PooledBody> bodies;
    /** The last buffer, a pool chunk still open for appends (position..limit holds unsent bytes). */
    private ByteBuffer tail;
    private long queuedBytes;
    /** Size of the next chunk; doubles while chunks fill up, back to MIN_CHUNK when the queue drains. */
    private int nextChunk = MIN_CHUNK;

    WriteQueue(ChunkPool pool) {
        this.pool = pool;
    }

    /** A queue with a pool of its own (tests). */
    WriteQueue() {
        this(new ChunkPool());
    }

    @Override
    public void write(byte[] source, int offset, int length) {
        while (length > 0) {
            if (tail == null || tail.limit() == tail.capacity()) {
                tail = pool.take(chunkSize(length));
                buffers().addLast(tail);
            }
            int take = Math.min(length, tail.capacity() - tail.limit());
            int at = tail.limit();
            tail.limit(at + take);
            tail.put(at, source, offset, take);
            offset += take;
            length -= take;
            queuedBytes += take;
        }
    }

    /**
     * A frame's length, put straight into the open chunk (no array for it); a chunk with fewer than four bytes
     * left is closed as it is and a new one opened, since a length is never split.
     */
    @Override
    public void writeInt(int value) {
        if (tail == null || tail.capacity() - tail.limit() < Integer.BYTES) {
            tail = pool.take(chunkSize(Integer.BYTES));
            buffers().addLast(tail);
        }
        int at = tail.limit();
        tail.limit(at + Integer.BYTES);
        tail.putInt(at, value);
        queuedBytes += Integer.BYTES;
    }

    @Override
    public void writeShared(byte[] source) {
        if (source.length == 0) {
            return;
        }
        queueByReference(ByteBuffer.wrap(source));
    }

    /** A pooled body, sent from its own chunk: held here until written (the one read-only buffer kind queued). */
    @Override
    public void writeBody(PooledBody body) {
        body.retain();
        if (bodies == null) {
            bodies = new ArrayDeque<>(4);
        }
        bodies.addLast(body);
        queueByReference(body.view());
    }

    /** A large body's own buffer, queued as it is. */
    private void queueByReference(ByteBuffer buffer) {
        buffers().addLast(buffer);
        tail = null; // the next small write starts a new chunk after this body...
        nextChunk = MIN_CHUNK; // ...a small one: a large-body stream needs room for headers only
        queuedBytes += buffer.remaining();
    }

    private ArrayDeque<ByteBuffer> buffers() {
        if (buffers == null) {
            buffers = new ArrayDeque<>(4);
        }
        return buffers;
    }

    /**
     * Small bursts get small chunks; a stream of small messages that keeps filling chunks gets bigger ones, up to
     * MAX_CHUNK. Shared bodies do not count: a 16 KiB echo needs room for its header, not 64 KiB of zeroed array.
     */
    private int chunkSize(int needed) {
        int size = Math.max(Math.min(needed, MAX_CHUNK), nextChunk);
        nextChunk = Math.min(MAX_CHUNK, size * 2);
        return size;
    }

    long queuedBytes() {
        return queuedBytes;
    }

    boolean isEmpty() {
        return queuedBytes == 0;
    }

    /**
     * Writes queued bytes until the socket takes no more, the queue is empty or the write budget is spent.
     *
     * @param scratch a loop-owned array for the gathering write (avoids an allocation per flush)
     * @return bytes written
     */
    long writeTo(GatheringByteChannel channel, ByteBuffer[] scratch) throws IOException {
        long total = 0;
        for (int attempt = 0; attempt < MAX_WRITES_PER_FLUSH && queuedBytes > 0; attempt++) {
            int count = 0;
            long attempted = 0;
            for (ByteBuffer buffer : buffers) {
                if (count == scratch.length) {
                    break;
                }
                scratch[count++] = buffer;
                attempted += buffer.remaining();
            }
            long written = count == 1 ? channel.write(scratch[0]) : channel.write(scratch, 0, count);
            Arrays.fill(scratch, 0, count, null);
            total += written;
            queuedBytes -= written;
            dropWritten();
            if (written < attempted) {
                break; // the socket buffer is full: wait for OP_WRITE
            }
        }
        return total;
    }

    private void dropWritten() {
        ByteBuffer head;
        while ((head = buffers.peekFirst()) != null && !head.hasRemaining()) {
            buffers.pollFirst();
            if (head == tail) {
                tail = null;
            }
            giveBack(head, true);
        }
        if (buffers.isEmpty()) {
            nextChunk = MIN_CHUNK; // the deque itself stays: a busy connection would allocate one every turn
        }
    }

    /**
     * A buffer done with, the queue's {@code first} or last: a pooled body's view lets go of its body (the first or
     * last of {@link #bodies}, in step), a chunk goes back to the pool.
     */
    private void giveBack(ByteBuffer buffer, boolean first) {
        if (buffer.isReadOnly()) {
            (first ? bodies.pollFirst() : bodies.pollLast()).release();
        } else {
            pool.release(buffer);
        }
    }

    /**
     * Takes back the last {@code bytes} appended (e.g. half a message whose encoding failed). They must not have
     * been written yet: call it only for bytes appended since the last {@link #writeTo}.
     */
    void discardLast(long bytes) {
        while (bytes > 0) {
            ByteBuffer last = buffers.peekLast();
            int take = (int) Math.min(bytes, last.remaining());
            last.limit(last.limit() - take);
            bytes -= take;
            queuedBytes -= take;
            if (!last.hasRemaining()) {
                buffers.pollLast();
                if (last == tail) {
                    tail = null;
                }
                giveBack(last, false);
            } else if (last != tail) {
                tail = null; // a shared body cut short: never append into the caller's array
            }
        }
    }

    /** Drops everything queued (the peer is gone or is being cut off). */
    void clear() {
        if (buffers != null) {
            buffers.forEach(pool::release); // the pool ignores the bodies' read-only views...
        }
        if (bodies != null) {
            bodies.forEach(PooledBody::release); // ...whose bodies are given back here
        }
        buffers = null;
        bodies = null; // a connection being cut off or shed gives everything back
        tail = null;
        queuedBytes = 0;
    }
}
