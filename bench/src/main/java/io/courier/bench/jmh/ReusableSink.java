package io.courier.bench.jmh;

import io.courier.protocol.ByteSink;

/**
 * A sink like a connection's write queue: copied bytes go into one array that is reused after {@link #clear()};
 * shared arrays (large bodies the binary encoder hands over by reference) are only referenced, not copied.
 */
final class ReusableSink implements ByteSink {
    private byte[] bytes = new byte[64 * 1024];
    private int size;
    private byte[] lastShared;
    private long sharedBytes;

    @Override
    public void write(byte[] source, int offset, int length) {
        if (size + length > bytes.length) {
            bytes = java.util.Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + length));
        }
        System.arraycopy(source, offset, bytes, size, length);
        size += length;
    }

    @Override
    public void writeShared(byte[] source) {
        lastShared = source;
        sharedBytes += source.length;
    }

    /** Bytes the sink holds: copied plus referenced. */
    long length() {
        return size + sharedBytes;
    }

    /** The last array handed over by reference, so JMH can consume it. */
    byte[] lastShared() {
        return lastShared;
    }

    void clear() {
        size = 0;
        sharedBytes = 0;
        lastShared = null;
    }
}
