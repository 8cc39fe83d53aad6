package io.courier.protocol;

/**
 * Where encoders put bytes: the writer's own buffers, so a message goes from Jackson to the socket's write queue
 * without intermediate arrays.
 */
public interface ByteSink {
    /** Copies {@code length} bytes of {@code source} from {@code offset}. */
    void write(byte[] source, int offset, int length);

    /**
     * Appends a whole array by reference, without copying. The caller promises never to change it afterwards.
     * Sinks that cannot hold references may copy.
     */
    default void writeShared(byte[] source) {
        write(source, 0, source.length);
    }
}
