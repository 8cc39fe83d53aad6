package io.courier.protocol.tls;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.WritableByteChannel;

/**
 * The outgoing side of one {@link TlsEngineDriver}: wraps application bytes, or the engine's own handshake records,
 * alerts and close_notify, into the loop's encrypt buffer and writes them to the network channel, keeping the
 * records the socket does not take until {@link #flush}. Its own class because it is the one place that holds
 * unsent records; whether writing is allowed at all (handshake done, not released) is the driver's question.
 * Loop-thread only.
 */
final class TlsRecordWriter {
    private static final ByteBuffer[] NOTHING = {ByteBuffer.allocate(0)};

    private final SSLEngine engine;
    private final TlsBuffers buffers;
    private final WritableByteChannel network;
    private final TlsHandshake handshake;
    /** Records made but not yet written: the socket was full. */
    private final HeldBytes pendingOut = new HeldBytes();

    TlsRecordWriter(SSLEngine engine, TlsBuffers buffers, WritableByteChannel network, TlsHandshake handshake) {
        this.engine = engine;
        this.buffers = buffers;
        this.network = network;
        this.handshake = handshake;
    }

    /**
     * Encrypts as much of {@code srcs} as the socket takes now and writes it; call only with nothing pending.
     *
     * @return application bytes consumed
     * @throws ClosedChannelException the TLS connection is closed for writing (close_notify sent)
     */
    long wrapApplication(ByteBuffer[] srcs, int offset, int length) throws IOException {
        long consumed = 0;
        ByteBuffer out = buffers.network();
        while (hasRemaining(srcs, offset, length)) {
            SSLEngineResult result = engine.wrap(srcs, offset, length, out);
            consumed += result.bytesConsumed();
            if (result.getStatus() == Status.CLOSED) {
                send(out);
                throw new ClosedChannelException();
            }
            if (result.getStatus() == Status.BUFFER_OVERFLOW) {
                if (out.position() == 0) {
                    out = buffers.growNetwork(handshake.packetSize());
                    continue;
                }
                if (!send(out)) {
                    return consumed;
                }
                out = buffers.network();
                continue;
            }
            handshake.noteFinished(result);
            HandshakeStatus status = engine.getHandshakeStatus();
            if (status == HandshakeStatus.NEED_UNWRAP || status == HandshakeStatus.NEED_TASK
                    || (result.bytesConsumed() == 0 && result.bytesProduced() == 0)) {
                break; // a renegotiation wants the peer's answer or tasks first; receive() carries on
            }
            if (out.remaining() < handshake.packetSize()) {
                if (!send(out)) {
                    return consumed;
                }
                out = buffers.network();
            }
        }
        send(out);
        return consumed;
    }

    /** Wraps and writes what the engine wants to send by itself: handshake records, an alert, close_notify. */
    void wrapHandshake() throws IOException {
        ByteBuffer out = buffers.network();
        while (true) {
            SSLEngineResult result = engine.wrap(NOTHING, out);
            if (result.getStatus() == Status.BUFFER_OVERFLOW) {
                if (out.position() == 0) {
                    out = buffers.growNetwork(handshake.packetSize());
                } else {
                    send(out);
                    out = buffers.network();
                }
                continue;
            }
            handshake.noteFinished(result);
            if (result.getStatus() == Status.CLOSED || result.bytesProduced() == 0
                    || engine.getHandshakeStatus() != HandshakeStatus.NEED_WRAP) {
                break;
            }
        }
        send(out);
    }

    /** Writes records still pending. True when none is left; false when the socket is full (wait for OP_WRITE). */
    boolean flush() throws IOException {
        if (pendingOut.isEmpty()) {
            return true;
        }
        ByteBuffer held = pendingOut.buffer();
        while (held.hasRemaining()) {
            if (network.write(held) == 0) {
                return false;
            }
        }
        pendingOut.clear();
        return true;
    }

    boolean hasPendingOutput() {
        return !pendingOut.isEmpty();
    }

    /** Memory held for unsent records. */
    int bufferedBytes() {
        return pendingOut.capacity();
    }

    /** Forgets unsent records: the connection is closed. */
    void release() {
        pendingOut.clear();
    }

    /**
     * Writes the records in {@code out} (in write mode), behind any already pending; what the socket does not take
     * is kept. True when nothing is pending afterwards.
     */
    private boolean send(ByteBuffer out) throws IOException {
        out.flip();
        if (pendingOut.isEmpty()) {
            while (out.hasRemaining() && network.write(out) > 0) {
                // the socket takes more
            }
        }
        pendingOut.add(out);
        out.clear();
        return pendingOut.isEmpty();
    }

    private static boolean hasRemaining(ByteBuffer[] srcs, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            if (srcs[i].hasRemaining()) {
                return true;
            }
        }
        return false;
    }
}
