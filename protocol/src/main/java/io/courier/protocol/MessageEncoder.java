package io.courier.protocol;

import java.nio.ByteBuffer;

/** Writes messages in one framing. Stateless and thread-safe. */
public interface MessageEncoder {
    /** Appends the encoded message to {@code sink}. */
    void encode(Message message, ByteSink sink);

    /** The encoded message in a new buffer ready to be written (position 0, limit its length). */
    default ByteBuffer encode(Message message) {
        ArraySink sink = new ArraySink();
        encode(message, sink);
        return sink.toBuffer();
    }

    /**
     * The exact length {@link #encode} writes for {@code message}, when this encoder knows it without encoding
     * (a header already in bytes), else -1.
     */
    default int encodedLength(Message message) {
        return -1;
    }

    /** A sink over one growable array, for encoding a message on its own. */
    final class ArraySink implements ByteSink {
        private byte[] bytes;
        private int size;

        public ArraySink() {
            this(256);
        }

        /** A sink that starts with room for {@code capacity} bytes: an exact one makes {@link #toArray} free. */
        public ArraySink(int capacity) {
            bytes = new byte[capacity];
        }

        @Override
        public void write(byte[] source, int offset, int length) {
            if (size + length > bytes.length) {
                bytes = java.util.Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + length));
            }
            System.arraycopy(source, offset, bytes, size, length);
            size += length;
        }

        @Override
        public void writeInt(int value) {
            if (size + 4 > bytes.length) {
                bytes = java.util.Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + 4));
            }
            bytes[size] = (byte) (value >>> 24);
            bytes[size + 1] = (byte) (value >>> 16);
            bytes[size + 2] = (byte) (value >>> 8);
            bytes[size + 3] = (byte) value;
            size += 4;
        }

        public ByteBuffer toBuffer() {
            return ByteBuffer.wrap(bytes, 0, size);
        }

        /** The bytes written, in an array of exactly their length. */
        public byte[] toArray() {
            return size == bytes.length ? bytes : java.util.Arrays.copyOf(bytes, size);
        }
    }
}
