package io.courier.protocol;

/**
 * Where encoders put bytes: the writer's own buffers, so a message goes from Jackson to the socket's write queue
 * without intermediate arrays.
 */
public interface ByteSink {
    /** Copies {@code length} bytes of {@code source} from {@code offset}. */
    void write(byte[] source, int offset, int length);

    /** Appends {@code value} as four bytes, most significant first (a binary frame's lengths). */
    default void writeInt(int value) {
        write(new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value}, 0, 4);
    }

    /**
     * Appends a whole array by reference, without copying. The caller promises never to change it afterwards.
     * Sinks that cannot hold references may copy.
     */
    default void writeShared(byte[] source) {
        write(source, 0, source.length);
    }

    /**
     * Appends a body received into a pool's buffer. A sink that sends it by reference instead of copying it (a
     * connection's write queue) holds it ({@link PooledBody#retain}) until its bytes are written; this default
     * copies them.
     */
    default void writeBody(PooledBody body) {
        byte[] bytes = body.copy();
        write(bytes, 0, bytes.length);
    }
}
