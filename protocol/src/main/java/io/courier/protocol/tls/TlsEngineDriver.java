package io.courier.protocol.tls;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.Executor;

/**
 * Drives one {@link SSLEngine} over byte buffers for a non-blocking connection, on its event loop thread.
 *
 * <ul>
 *   <li>In: {@link #receive} takes whatever network bytes arrived (any split: half a record, many records) and hands
 *       the decrypted bytes to {@link Owner#plaintext}. The bytes of an incomplete record are kept (at most one
 *       record, about 16 KiB, and only while incomplete) until the rest arrives.</li>
 *   <li>Out: {@link #write} encrypts application bytes and writes the records to the network channel; records the
 *       socket does not take now wait in the driver until {@link #flush}. Handshake records, alerts and
 *       close_notify go out the same way, as soon as the engine produces them.</li>
 *   <li>Handshake: the engine's slow steps (key exchange, signatures, certificate checks: its delegated tasks) run
 *       on the {@code workers} executor, never on the loop; meanwhile the driver takes no input
 *       ({@link #wantsInput} is false) and produces no output. When they are done the driver is back on the loop
 *       and calls {@link Owner#resume}: the owner then calls {@code receive} with no bytes and flushes.</li>
 * </ul>
 *
 * <p>Buffers: the decrypt and encrypt scratch space belongs to the loop ({@link TlsBuffers}); the driver itself
 * holds bytes only while a record is incomplete or the socket is full. Errors are the engine's: an
 * {@link SSLException} from {@code receive} (garbage, plaintext, a failed handshake) means the connection is
 * unusable; {@link #closeOutbound} then still tries to send the engine's alert.
 *
 * <p>This class is the connection's one view of its TLS and the incoming side (the unwrap loop, which is also what
 * moves the handshake along); records out are {@link TlsRecordWriter}'s, delegated tasks and the moment the
 * handshake completes {@link TlsHandshake}'s.
 */
public final class TlsEngineDriver {
    /** What the driver reports to the connection that owns it, always on the loop thread. */
    public interface Owner {
        /** Decrypted application bytes, valid only during the call: consume or copy them all. */
        void plaintext(ByteBuffer bytes);

        /** The handshake is complete: the session has its protocol, suite and (mutual TLS) peer certificate. */
        void handshakeFinished();

        /** Delegated handshake tasks are done: call {@code receive} with no bytes, then flush. */
        void resume();
    }

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    /** Unwraps that consume and produce nothing before the driver waits for more input instead of spinning. */
    private static final int MAX_IDLE_UNWRAPS = 2;

    private final SSLEngine engine;
    private final TlsBuffers buffers;
    private final Owner owner;
    private final TlsHandshake handshake;
    private final TlsRecordWriter records;

    /** Network bytes received but not yet unwrapped: an incomplete record, or input that came while tasks ran. */
    private final HeldBytes pendingIn = new HeldBytes();
    private boolean released;

    /**
     * @param network where records go; a non-blocking socket, or any channel that may take fewer bytes than given
     * @param workers runs the engine's delegated tasks (a server's worker pool)
     * @param loop    the event loop, where {@link Owner#resume} runs
     */
    public TlsEngineDriver(SSLEngine engine, TlsBuffers buffers, WritableByteChannel network, Executor workers,
                           Executor loop, Owner owner) throws SSLException {
        this.engine = engine;
        this.buffers = buffers;
        this.owner = owner;
        engine.beginHandshake();
        this.handshake = new TlsHandshake(engine, workers, loop, owner, this::tasksDone);
        this.records = new TlsRecordWriter(engine, buffers, network, handshake);
    }

    /** A client-mode engine speaks first: this sends its hello. (A server's engine waits for the peer's.) */
    public void start() throws IOException {
        unwrapFrom(EMPTY);
    }

    /** False after the peer's close_notify, or while the driver holds all it will hold: do not read the socket. */
    public boolean wantsInput() {
        return !released && !isInboundDone() && receiveLimit() > 0;
    }

    /**
     * The most network bytes worth reading for one {@link #receive}. During the handshake one record's worth (and
     * while its delegated tasks run, what is left of that), so a client that sends garbage behind its hello makes
     * the server hold no more than about 16 KiB; unlimited after it.
     */
    public int receiveLimit() {
        if (handshake.tasksRunning()) {
            return Math.max(0, handshake.packetSize() - pendingIn.size());
        }
        return handshake.isDone() ? Integer.MAX_VALUE : handshake.packetSize();
    }

    /**
     * Decrypts what can be decrypted of {@code src} (consumed entirely: an incomplete record is kept), answering
     * the handshake as needed.
     *
     * @throws SSLException the peer's bytes are not acceptable TLS (or the handshake failed)
     * @throws IOException  writing a handshake record failed
     */
    public void receive(ByteBuffer src) throws IOException {
        if (released) {
            src.position(src.limit());
            return;
        }
        if (handshake.tasksRunning()) {
            pendingIn.add(src);
            return;
        }
        if (engine.isInboundDone()) {
            src.position(src.limit()); // nothing after close_notify counts
            if (!engine.isOutboundDone()) {
                // A delegated task that failed closed the engine: only a wrap throws its exception (and the
                // alert it prepared goes out). Otherwise this wraps nothing.
                records.wrapHandshake();
            }
            return;
        }
        while (!pendingIn.isEmpty()) {
            // Complete the held record first, topping it up one record's worth at a time.
            pendingIn.addUpTo(src, handshake.packetSize());
            int offered = pendingIn.size();
            unwrapFrom(pendingIn.buffer());
            if (released) {
                return;
            }
            pendingIn.releaseIfDrained();
            if (pendingIn.isEmpty()) {
                break;
            } else if (handshake.tasksRunning()) {
                pendingIn.add(src);
                return;
            } else if (!src.hasRemaining()) {
                return; // still incomplete: wait for more
            } else if (pendingIn.size() == offered && offered >= handshake.packetSize()) {
                // A full record's worth held and none of it taken: the peer claims a record longer than allowed.
                throw new SSLException("a TLS record longer than the largest one allowed");
            }
        }
        unwrapFrom(src);
        if (src.hasRemaining() && !released && !engine.isInboundDone()) {
            pendingIn.add(src);
        }
        src.position(src.limit());
    }

    /**
     * Encrypts as much of {@code srcs} as the socket takes now (after any records still pending) and writes it.
     * Nothing is taken before the handshake is complete.
     *
     * @return application bytes consumed
     * @throws ClosedChannelException the TLS connection is closed for writing (close_notify sent)
     */
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        if (!records.flush() || !handshake.isDone() || handshake.tasksRunning() || released) {
            return 0;
        }
        return records.wrapApplication(srcs, offset, length);
    }

    /** Writes records still pending. True when none is left; false when the socket is full (wait for OP_WRITE). */
    public boolean flush() throws IOException {
        return records.flush();
    }

    /** Records are waiting for the socket. */
    public boolean hasPendingOutput() {
        return records.hasPendingOutput();
    }

    /**
     * Sends close_notify, or after a failure the engine's alert, as far as the socket takes it now (the rest on
     * {@link #flush}). Nothing more is written afterwards.
     */
    public void closeOutbound() throws IOException {
        if (released || handshake.tasksRunning() || engine.isOutboundDone()) {
            return; // mid-handshake with tasks running there is nothing to tell the peer yet
        }
        engine.closeOutbound();
        records.wrapHandshake();
    }

    /** The peer sent close_notify: no more input will come (its side is closed). */
    public boolean isInboundDone() {
        return !handshake.tasksRunning() && engine.isInboundDone();
    }

    public boolean isHandshakeDone() {
        return handshake.isDone();
    }

    /** close_notify (or an alert) has been produced: no application byte can be written any more. */
    public boolean isOutboundDone() {
        return !handshake.tasksRunning() && engine.isOutboundDone();
    }

    /** Part of a record has arrived and the rest has not. */
    public boolean holdsPartialRecord() {
        return !pendingIn.isEmpty() && !handshake.tasksRunning();
    }

    public SSLSession session() {
        return engine.getSession();
    }

    /** Bytes the driver itself holds now (incomplete input and unsent records): what bounded memory means here. */
    public int bufferedBytes() {
        return pendingIn.capacity() + records.bufferedBytes();
    }

    /** Drops the engine's state and any held bytes: the connection is closed. */
    public void release() {
        released = true;
        pendingIn.clear();
        records.release();
        engine.closeOutbound();
    }

    private void unwrapFrom(ByteBuffer in) throws IOException {
        ByteBuffer app = buffers.plaintext();
        int idle = 0;
        while (!released && !handshake.tasksRunning()) {
            HandshakeStatus status = engine.getHandshakeStatus();
            if (status == HandshakeStatus.NEED_TASK) {
                deliver(app);
                handshake.startTasks();
                return;
            }
            if (status == HandshakeStatus.NEED_WRAP && !engine.isOutboundDone()) {
                records.wrapHandshake();
                continue;
            }
            if (!in.hasRemaining() || idle >= MAX_IDLE_UNWRAPS) {
                break;
            }
            SSLEngineResult result = engine.unwrap(in, app);
            idle = result.bytesConsumed() == 0 && result.bytesProduced() == 0 ? idle + 1 : 0;
            Status outcome = result.getStatus();
            if (outcome == Status.BUFFER_OVERFLOW) {
                app = app.position() > 0 ? deliver(app)
                        : buffers.growPlaintext(engine.getSession().getApplicationBufferSize());
                idle = 0;
                continue;
            }
            if (outcome == Status.BUFFER_UNDERFLOW) {
                break; // an incomplete record: the caller keeps the rest
            }
            handshake.noteFinished(result);
            if (outcome == Status.CLOSED) {
                deliver(app);
                if (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP && !engine.isOutboundDone()) {
                    records.wrapHandshake(); // TLS 1.2 answers close_notify with its own
                }
                return;
            }
            if (app.remaining() < engine.getSession().getApplicationBufferSize()) {
                app = deliver(app);
            }
        }
        deliver(app);
    }

    /** Hands the decrypted bytes to the owner and returns the emptied buffer. */
    private ByteBuffer deliver(ByteBuffer app) {
        if (app.position() > 0 && !released) {
            app.flip();
            owner.plaintext(app);
        }
        app.clear();
        return app;
    }

    /** Delegated tasks are done, back on the loop: the owner carries on unless the connection closed meanwhile. */
    private void tasksDone() {
        if (!released) {
            owner.resume();
        }
    }
}
