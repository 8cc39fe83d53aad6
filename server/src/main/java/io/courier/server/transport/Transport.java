package io.courier.server.transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.GatheringByteChannel;

/**
 * The bytes between a stream connection's socket and its framing. The framing sees application bytes only: plain
 * TCP passes the socket's bytes through ({@link PlainTransport}); a TLS transport would decrypt on the way in and
 * encrypt on the way out, and may need to send bytes of its own (handshake records, {@code close_notify}) when the
 * framing has nothing to send. Loop thread only, like the connection that owns it.
 *
 * <p>A transport that does work off the loop (TLS handshake tasks on the worker pool) calls the {@link Resume}
 * it was opened with, on the loop, when it can make progress again; the connection then reads and flushes.
 *
 * <p>It is a {@link GatheringByteChannel} of application bytes, so the write queue writes through it as it would
 * through the socket.
 */
public interface Transport extends ByteChannel, GatheringByteChannel {
    /**
     * Reads application bytes into {@code dst}.
     *
     * @return how many were read, 0 when none are available now (a transport may have consumed socket bytes that
     *         produced none yet), or -1 at the end of the peer's input
     */
    @Override
    int read(ByteBuffer dst) throws IOException;

    /**
     * Writes application bytes from {@code srcs[offset..offset+length)} as far as the socket takes them.
     *
     * @return how many application bytes were taken (a transport may take bytes it still holds in its own form)
     */
    @Override
    long write(ByteBuffer[] srcs, int offset, int length) throws IOException;

    /** True while the transport holds bytes of its own not yet sent; the connection keeps write interest on. */
    default boolean hasPendingOutput() {
        return false;
    }

    /** Sends what {@link #hasPendingOutput} holds, as far as the socket takes it. */
    default void flushPendingOutput() throws IOException {
    }

    /**
     * False while the transport cannot carry application bytes yet (a TLS handshake in progress) or any more (its
     * closing message sent): queued replies then wait without write interest, and a close does not wait for them.
     */
    default boolean acceptsOutput() {
        return true;
    }

    /**
     * True while the transport holds application bytes it has already taken off the socket (decrypted more than
     * the last read could take): read again without waiting for the socket to become readable.
     */
    default boolean hasBufferedInput() {
        return false;
    }

    /**
     * True while the peer is in the middle of something only it can finish (a TLS handshake, or half a record):
     * the frame timeout applies, as to half a message.
     */
    default boolean hasPartialInput() {
        return false;
    }

    /**
     * The last reply has been written: end this side of the stream (a TLS transport sends {@code close_notify}
     * first), so the peer reads to its end and nothing in flight is destroyed by a reset.
     */
    void shutdownOutput() throws IOException;

    /**
     * While lingering after {@link #shutdownOutput}: reads and discards what the peer still sends.
     *
     * @return -1 once the peer has closed its side, else how many bytes were discarded (0 for none now)
     */
    int discardInput(ByteBuffer scratch) throws IOException;

    /** Closes the socket at once; idempotent. */
    @Override
    void close() throws IOException;

    /** Who the transport proved the peer to be (a verified TLS client certificate's name), or null. */
    default String peerIdentity() {
        return null;
    }

    /** Called on the event loop by a transport that can make progress again after work done elsewhere. */
    @FunctionalInterface
    interface Resume {
        void resume();
    }
}
