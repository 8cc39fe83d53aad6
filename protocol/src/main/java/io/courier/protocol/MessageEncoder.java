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

    /** A sink over one growable array, for encoding a message on its own. */
    final class ArraySink implements ByteSink {
        private byte[] bytes = new byte[256];
        private int size;

        @Override
        public void write(byte[] source, int offset, int length) {
            if (size + length > bytes.length) {
                bytes = java.util.Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + length));
            }
            System.arraycopy(source, offset, bytes, size, length);
            size += length;
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
