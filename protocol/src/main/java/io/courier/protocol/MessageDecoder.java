package io.courier.protocol;

import java.nio.ByteBuffer;

/**
 * An incremental decoder for one connection's byte stream. Fed whatever bytes arrived, it hands over every complete
 * message and keeps only the bytes of a message still partial. It never blocks, never reads past what it was given
 * and never allocates for a length it was only promised.
 *
 * <p>Not thread-safe: one connection, one thread.
 */
public interface MessageDecoder {

    /** Receives, in stream order, what a call to {@link #decode} found. */
    interface Sink {
        void onMessage(Message message);

        /** A bad message that was skipped; the stream is still in sync and decoding goes on. */
        void onError(ProtocolException error);
    }

    /**
     * Consumes all remaining bytes of {@code in} (its position ends at its limit) and reports complete messages and
     * in-sync errors to {@code sink}. The decoder keeps no reference to {@code in} after returning, so the caller
     * may reuse it.
     *
     * @throws ProtocolException when the stream is out of sync; the decoder is then unusable and the connection
     *                           should be closed after the error reply.
     */
    void decode(ByteBuffer in, Sink sink) throws ProtocolException;

    /** True while bytes of an incomplete message are buffered (used for frame timeouts). */
    boolean hasPartialMessage();

    /** Bytes currently held for an incomplete message (for memory accounting). */
    long bufferedBytes();

    /** Releases any buffers; the decoder must not be used afterwards. */
    default void close() {
    }
}
