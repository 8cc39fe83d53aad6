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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

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
    private static final ByteBuffer[] NOTHING = {EMPTY};
    /** Unwraps that consume and produce nothing before the driver waits for more input instead of spinning. */
    private static final int MAX_IDLE_UNWRAPS = 2;

    private final SSLEngine engine;
    private final TlsBuffers buffers;
    private final WritableByteChannel network;
    private final Executor workers;
    private final Executor loop;
    private final Owner owner;

    /** Network bytes received but not yet unwrapped: an incomplete record, or input that came while tasks ran. */
    private final HeldBytes pendingIn = new HeldBytes();
    /** Records made but not yet written: the socket was full. */
    private final HeldBytes pendingOut = new HeldBytes();
    /**
     * Delegated tasks are running on a worker: the engine is theirs until they are done, so nothing here asks it
     * anything meanwhile (a failing task closes it from the worker thread; the loop must not see that half-way).
     */
    private boolean tasksRunning;
    /** The engine's packet size, as of the last time the loop could ask it. */
    private int packetSize;
    private boolean handshakeDone;
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
        this.network = network;
        this.workers = workers;
        this.loop = loop;
        this.owner = owner;
        engine.beginHandshake();
        this.packetSize = engine.getSession().getPacketBufferSize();
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
        if (tasksRunning) {
            return Math.max(0, packetSize() - pendingIn.size());
        }
        return handshakeDone ? Integer.MAX_VALUE : packetSize();
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
        if (tasksRunning) {
            pendingIn.add(src);
            return;
        }
        if (engine.isInboundDone()) {
            src.position(src.limit()); // nothing after close_notify counts
            if (!engine.isOutboundDone()) {
                // A delegated task that failed closed the engine: only a wrap throws its exception (and the
                // alert it prepared goes out). Otherwise this wraps nothing.
                wrapHandshake();
            }
            return;
        }
        while (!pendingIn.isEmpty()) {
            // Complete the held record first, topping it up one record's worth at a time.
            pendingIn.addUpTo(src, packetSize());
            int offered = pendingIn.size();
            unwrapFrom(pendingIn.buffer());
            if (released) {
                return;
            }
            pendingIn.releaseIfDrained();
            if (pendingIn.isEmpty()) {
                break;
            } else if (tasksRunning) {
                pendingIn.add(src);
                return;
            } else if (!src.hasRemaining()) {
                return; // still incomplete: wait for more
            } else if (pendingIn.size() == offered && offered >= packetSize()) {
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
        if (!flush() || !handshakeDone || tasksRunning || released) {
            return 0;
        }
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
                    out = buffers.growNetwork(packetSize());
                    continue;
                }
                if (!send(out)) {
                    return consumed;
                }
                out = buffers.network();
                continue;
            }
            noteFinished(result);
            HandshakeStatus status = engine.getHandshakeStatus();
            if (status == HandshakeStatus.NEED_UNWRAP || status == HandshakeStatus.NEED_TASK
                    || (result.bytesConsumed() == 0 && result.bytesProduced() == 0)) {
                break; // a renegotiation wants the peer's answer or tasks first; receive() carries on
            }
            if (out.remaining() < packetSize()) {
                if (!send(out)) {
                    return consumed;
                }
                out = buffers.network();
            }
        }
        send(out);
        return consumed;
    }

    /** Writes records still pending. True when none is left; false when the socket is full (wait for OP_WRITE). */
    public boolean flush() throws IOException {
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

    /** Records are waiting for the socket. */
    public boolean hasPendingOutput() {
        return !pendingOut.isEmpty();
    }

    /**
     * Sends close_notify, or after a failure the engine's alert, as far as the socket takes it now (the rest on
     * {@link #flush}). Nothing more is written afterwards.
     */
    public void closeOutbound() throws IOException {
        if (released || tasksRunning || engine.isOutboundDone()) {
            return; // mid-handshake with tasks running there is nothing to tell the peer yet
        }
        engine.closeOutbound();
        wrapHandshake();
    }

    /** The peer sent close_notify: no more input will come (its side is closed). */
    public boolean isInboundDone() {
        return !tasksRunning && engine.isInboundDone();
    }

    public boolean isHandshakeDone() {
        return handshakeDone;
    }

    /** close_notify (or an alert) has been produced: no application byte can be written any more. */
    public boolean isOutboundDone() {
        return !tasksRunning && engine.isOutboundDone();
    }

    /** Part of a record has arrived and the rest has not. */
    public boolean holdsPartialRecord() {
        return !pendingIn.isEmpty() && !tasksRunning;
    }

    public SSLSession session() {
        return engine.getSession();
    }

    /** Bytes the driver itself holds now (incomplete input and unsent records): what bounded memory means here. */
    public int bufferedBytes() {
        return pendingIn.capacity() + pendingOut.capacity();
    }

    /** Drops the engine's state and any held bytes: the connection is closed. */
    public void release() {
        released = true;
        pendingIn.clear();
        pendingOut.clear();
        engine.closeOutbound();
    }

    private void unwrapFrom(ByteBuffer in) throws IOException {
        ByteBuffer app = buffers.plaintext();
        int idle = 0;
        while (!released && !tasksRunning) {
            HandshakeStatus status = engine.getHandshakeStatus();
            if (status == HandshakeStatus.NEED_TASK) {
                deliver(app);
                startTasks();
                return;
            }
            if (status == HandshakeStatus.NEED_WRAP && !engine.isOutboundDone()) {
                wrapHandshake();
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
            noteFinished(result);
            if (outcome == Status.CLOSED) {
                deliver(app);
                if (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP && !engine.isOutboundDone()) {
                    wrapHandshake(); // TLS 1.2 answers close_notify with its own
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

    private void wrapHandshake() throws IOException {
        ByteBuffer out = buffers.network();
        while (true) {
            SSLEngineResult result = engine.wrap(NOTHING, out);
            if (result.getStatus() == Status.BUFFER_OVERFLOW) {
                if (out.position() == 0) {
                    out = buffers.growNetwork(packetSize());
                } else {
                    send(out);
                    out = buffers.network();
                }
                continue;
            }
            noteFinished(result);
            if (result.getStatus() == Status.CLOSED || result.bytesProduced() == 0
                    || engine.getHandshakeStatus() != HandshakeStatus.NEED_WRAP) {
                break;
            }
        }
        send(out);
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

    private void noteFinished(SSLEngineResult result) {
        if (!handshakeDone && (result.getHandshakeStatus() == HandshakeStatus.FINISHED
                || (engine.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING && !engine.isInboundDone()
                && !engine.isOutboundDone()))) {
            handshakeDone = true;
            owner.handshakeFinished();
        }
    }

    private void startTasks() {
        List<Runnable> tasks = new ArrayList<>(2);
        for (Runnable task = engine.getDelegatedTask(); task != null; task = engine.getDelegatedTask()) {
            tasks.add(task);
        }
        tasksRunning = true;
        Runnable job = () -> {
            try {
                tasks.forEach(Runnable::run); // failures are kept by the engine and thrown by the next unwrap
            } finally {
                loop.execute(this::tasksDone);
            }
        };
        try {
            workers.execute(job);
        } catch (RejectedExecutionException e) {
            // A saturated pool: do the few milliseconds of key exchange here rather than refuse the client.
            job.run();
        }
    }

    private void tasksDone() {
        tasksRunning = false;
        packetSize = engine.getSession().getPacketBufferSize();
        if (!released) {
            owner.resume();
        }
    }

    private int packetSize() {
        if (!tasksRunning) {
            packetSize = engine.getSession().getPacketBufferSize(); // it may grow, to take a larger record
        }
        return packetSize;
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
