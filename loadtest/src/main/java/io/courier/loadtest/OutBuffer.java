package io.courier.loadtest;

import io.courier.protocol.ByteSink;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.Arrays;

/**
 * A connection's bytes waiting for the socket: the encoder appends, {@link #writeTo} drains. Allocated on first use
 * and dropped when it drains after growing large, so ten thousand idle connections hold almost nothing.
 */
final class OutBuffer implements ByteSink {
    private static final int MIN_CAPACITY = 512;
    private static final int KEEP_CAPACITY = 1 << 20;
    private static final byte[] EMPTY = new byte[0];

    private byte[] bytes = EMPTY;
    private int start;
    private int end;

    @Override
    public void write(byte[] source, int offset, int length) {
        if (end + length > bytes.length) {
            makeRoom(length);
        }
        System.arraycopy(source, offset, bytes, end, length);
        end += length;
    }

    private void makeRoom(int length) {
        int size = end - start;
        if (start > 0 && size + length <= bytes.length) {
            System.arraycopy(bytes, start, bytes, 0, size);
        } else {
            long wanted = Math.max(MIN_CAPACITY, Math.max((long) bytes.length * 2, (long) size + length));
            if (wanted > Integer.MAX_VALUE - 8) {
                throw new IllegalStateException("more than 2 GiB waiting to be written on one connection");
            }
            byte[] grown = new byte[(int) wanted];
            System.arraycopy(bytes, start, grown, 0, size);
            bytes = grown;
        }
        start = 0;
        end = size;
    }

    /** Bytes waiting. */
    int size() {
        return end - start;
    }

    boolean isEmpty() {
        return end == start;
    }

    /** Writes as much as the socket takes; returns the number of bytes written. */
    int writeTo(WritableByteChannel channel) throws IOException {
        if (isEmpty()) {
            return 0;
        }
        int written = channel.write(ByteBuffer.wrap(bytes, start, end - start));
        start += written;
        if (start == end) {
            clear();
        }
        return written;
    }

    /** Drops whatever is waiting. */
    void clear() {
        start = 0;
        end = 0;
        if (bytes.length > KEEP_CAPACITY) {
            bytes = EMPTY;
        }
    }

    /** The waiting bytes, for tests. */
    byte[] toArray() {
        return Arrays.copyOfRange(bytes, start, end);
    }
}
