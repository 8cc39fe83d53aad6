package io.courier.server.stream;

import io.courier.protocol.ErrorCode;
import io.courier.protocol.Message;
import io.courier.server.config.ListenerSpec;
import io.courier.server.loop.ChannelHandler;
import io.courier.server.loop.EventLoop;
import io.courier.server.metrics.CloseReason;
import io.courier.server.transport.Transport;
import io.courier.server.transport.TransportFactory;
import io.courier.server.web.WebConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

import static io.courier.server.stream.ConnectionState.CLOSED;
import static io.courier.server.stream.ConnectionState.CLOSING;
import static io.courier.server.stream.ConnectionState.LINGERING;
import static io.courier.server.stream.ConnectionState.PAUSED;
import static io.courier.server.stream.ConnectionState.READING;

/**
 * One client's stream connection (TCP or Unix domain): its transport, framing, write queue and counters, and where
 * it is in its life ({@link ConnectionState}). Runs on the event loop thread only; handlers reach it through its
 * {@link ConnectionSession}.
 *
 * <p>This class is the connection as the loop and the registry see it: readiness events, flushing, backpressure and
 * every way of closing. Reading and decoding are {@link ConnectionInput}'s, replies arriving from the dispatcher
 * {@link ConnectionReplies}'s; both ask it for the state and leave every state change to it. The replies one batch
 * of reads produces go out in one gathering write, once the loop has read every ready connection. Backpressure:
 * above the high watermark of unsent bytes the connection is not read until they fall under the low watermark;
 * above the slow-consumer limit it is closed.
 * Closes after the last reply go through {@link Lingering}, so the client never gets a reset.
 */
final class Connection implements ChannelHandler, WebConnection.Wire {
    private static final Logger log = LoggerFactory.getLogger(Connection.class);

    private final ConnectionContext context;
    private final Connections registry;
    private final EventLoop loop;
    private final SocketChannel channel;
    private final Transport transport;
    private final Peer peer;
    private final ConnectionSession session;
    private final ConnectionFraming framing;
    private final Traffic traffic = new Traffic();
    private final Outbound out;
    private final ConnectionReplies replies;
    private final ConnectionInput input;
    private SelectionKey key;

    private ConnectionState state = READING;
    private CloseReason closeReason;
    private CloseCallbacks closeCallbacks; // created by the first Session.onClose: most connections have none
    private boolean flushScheduled;
    /** The flush {@link #scheduleFlush} posts: one object per connection, not one per event it is sent. */
    private final Runnable scheduledFlush = () -> {
        flushScheduled = false;
        flush();
    };

    int slot = -1; // index in the registry's list while open and counted, owned by Connections

    Connection(Connections registry, SocketChannel channel, ListenerSpec.Transport kind, TransportFactory transports)
            throws IOException {
        this.registry = registry;
        this.context = registry.context;
        this.loop = context.loop;
        this.channel = channel;
        this.transport = transports.open(channel, this::resume);
        this.peer = new Peer(registry.nextId(), kind, channel.getRemoteAddress(), channel.getLocalAddress());
        this.session = new ConnectionSession(this, peer, loop);
        this.framing = new ConnectionFraming(context.config.limits(), context.chunks, context.stats, context.web, this);
        this.out = new Outbound(context, traffic, peer);
        this.replies = new ConnectionReplies(this, registry, peer, session, framing, out);
        this.input = new ConnectionInput(this, registry, transport, peer, framing, traffic, replies);
    }

    void register() throws ClosedChannelException {
        key = loop.register(channel, SelectionKey.OP_READ, this);
        registry.added(this);
        context.connectionLog.line("{} connected on {}", peer, peer.localAddress());
        input.notePartialInput(); // a TLS handshake is under the frame timeout from the first moment
    }

    /** Over the connection limit: a busy error (in JSON text: no framing is known yet), then close. */
    void rejectBusy() throws ClosedChannelException {
        key = loop.register(channel, 0, this);
        replies.enqueue(registry.rejected(this));
        requestClose(CloseReason.REJECTED);
    }

    @Override
    public void onReady(SelectionKey readyKey) {
        try {
            int ready = readyKey.readyOps();
            if ((ready & SelectionKey.OP_WRITE) != 0) {
                flush(); // first: draining the queue may let reading resume
            }
            if ((ready & SelectionKey.OP_READ) != 0) {
                if (state == READING) {
                    input.read();
                } else if (state == LINGERING && Lingering.peerDone(transport, loop.readBuffer())) {
                    closeNow(closeReason, null);
                }
            }
        } catch (RuntimeException e) {
            // A bug, ours or a handler's. Close through closeNow, not behind our back (the loop's catch-all only
            // closes the channel), so the connection is not left counted open and cannot stall a shutdown.
            log.error("{}: unexpected failure; closing the connection", peer, e);
            closeNow(CloseReason.SERVER_CLOSED, null);
        }
    }

    /** The transport finished work done elsewhere (a TLS handshake task): read and write as if the socket woke. */
    void resume() {
        if (state == READING) {
            input.read();
        } else {
            flush();
        }
    }

    String peerIdentity() {
        return transport.peerIdentity();
    }

    /** A broken socket is a reset; a TLS failure (not TLS at all, a refused handshake, a bad record) its own. */
    void closeOnFailure(IOException e) {
        if (e instanceof SSLException) {
            closeNow(CloseReason.TLS_FAILED, e);
        } else {
            closeNow(CloseReason.RESET, e);
        }
    }

    /**
     * Above the high watermark, write what the socket takes now; if still above, or if too many blocking requests
     * are in flight, stop reading this client until both come down.
     */
    void applyBackpressure() {
        if (out.aboveHighWatermark()) {
            flush();
        }
        if (state == READING && (out.aboveHighWatermark()
                || replies.pendingReplies() >= context.config.maxInFlight())) {
            state = PAUSED;
            setInterest(SelectionKey.OP_READ, false);
        }
    }

    /** An HTTP answer or a WebSocket control frame, queued as it is (the web framing's own bytes). */
    @Override
    public void write(byte[] bytes) {
        if (state != CLOSED) {
            out.addRaw(bytes);
        }
    }

    @Override
    public void close(CloseReason reason) {
        requestClose(reason);
    }

    @Override
    public boolean writeBacklogged() {
        return out.aboveHighWatermark();
    }

    /** Writes what the socket takes; keeps OP_WRITE on while anything is left; completes a requested close. */
    void flush() {
        if (state == CLOSED) {
            return;
        }
        if (state == CLOSING && replies.pendingReplies() == 0) {
            framing.farewell(closeReason); // the last bytes of all: a WebSocket's close frame
        }
        boolean unsent;
        try {
            unsent = out.write(transport);
        } catch (IOException e) {
            closeOnFailure(e);
            return;
        }
        boolean ownBytes = transport.hasPendingOutput();
        if (state == CLOSING && replies.pendingReplies() == 0) {
            if (!unsent) {
                startLingering();
                return;
            }
            if (!ownBytes && !transport.acceptsOutput()) {
                closeNow(closeReason, null); // mid-handshake: the queued replies can never go out
                return;
            }
        }
        // Queued replies wait without write interest while the transport cannot take them (TLS handshake).
        setInterest(SelectionKey.OP_WRITE, ownBytes || (unsent && transport.acceptsOutput()));
        if (state == PAUSED && out.belowLowWatermark()
                && replies.pendingReplies() < context.config.maxInFlight()) {
            state = READING;
            setInterest(SelectionKey.OP_READ, true);
            if (transport.hasBufferedInput()) {
                loop.execute(this::resume);
            }
        }
    }

    private void setInterest(int op, boolean on) {
        int ops = key.interestOps();
        int wanted = on ? ops | op : ops & ~op;
        if (wanted != ops) {
            key.interestOps(wanted);
        }
    }

    /** Stops reading and closes once every queued reply is written (the half-close, error and shutdown path). */
    void requestClose(CloseReason reason) {
        if (state.compareTo(CLOSING) >= 0) {
            return;
        }
        state = CLOSING;
        closeReason = reason;
        setInterest(SelectionKey.OP_READ, false);
        scheduleFlush();
    }

    /**
     * Everything is written: send FIN, then read and discard until the client closes too (or a short timeout), so
     * unread input does not make the kernel answer with a reset that could destroy the reply in flight.
     */
    private void startLingering() {
        if (closeReason == CloseReason.CLIENT_CLOSED) {
            closeNow(closeReason, null); // the client already closed its side: nothing left to drain
            return;
        }
        state = LINGERING;
        if (!Lingering.begin(transport, key, loop, () -> closeNow(closeReason, null))) {
            closeNow(closeReason, null);
        }
    }

    /** Closes at once, dropping anything queued. */
    void closeNow(CloseReason reason, IOException cause) {
        if (state == CLOSED) {
            return;
        }
        state = CLOSED;
        out.drop();
        key.cancel();
        try {
            transport.close();
        } catch (IOException e) {
            log.debug("{} close failed", peer, e);
        }
        framing.close();
        if (closeCallbacks != null) {
            closeCallbacks.runAll(this);
        }
        if (slot < 0) {
            return; // a rejected connection was never open; its rejection was counted at accept
        }
        registry.removed(this, reason);
        String identity = transport.peerIdentity();
        context.connectionLog.line("{} disconnected ({}{}) {}{}", peer, reason.description(),
                cause == null ? "" : ": " + cause.getMessage(), traffic.summary(),
                identity == null ? "" : "; identity " + identity);
    }

    /** Partial input plus unsent replies this connection holds now. */
    long bufferedBytes() {
        return framing.bufferedBytes() + out.queuedBytes();
    }

    /**
     * Over the server's buffer budget and the biggest holder: drop what it holds (its partial message and its
     * unsent replies) at once, send {@code error} alone and close after it.
     */
    void shed(Message error) {
        out.drop();
        framing.close();
        replies.enqueue(error);
        requestClose(CloseReason.BUFFER_BUDGET);
    }

    /** Called by the periodic sweep: closes the connection if it was idle, or a message stayed partial, too long. */
    void checkTimeouts(long now, long idleNanos, long frameNanos) {
        String violation = state.compareTo(PAUSED) > 0 ? null : Timeouts.violation(now, idleNanos,
                frameNanos, traffic.lastActivityNanos, traffic.partialSinceNanos);
        if (violation != null) {
            if (!transport.acceptsOutput() && transport.hasPartialInput()) {
                violation = Timeouts.handshake(frameNanos);
            }
            context.connectionLog.line("{}: {}", peer, violation);
            // JSON text if the client never spoke
            replies.enqueue(Message.error(null, null, ErrorCode.TIMEOUT, violation));
            requestClose(CloseReason.TIMEOUT);
        }
    }

    /** Shutdown: tell the client (if its framing is known), then close after the queued replies. */
    void closeForShutdown(Message notice) {
        if (framing.known() && isOpen()) {
            replies.enqueue(notice);
        }
        requestClose(CloseReason.SHUTDOWN);
    }

    void sendEvent(Message event) {
        if (framing.known() && isOpen()) {
            replies.enqueue(event);
            scheduleFlush();
        }
    }

    void onClose(Runnable callback) {
        if (state == CLOSED) {
            callback.run();
        } else {
            (closeCallbacks != null ? closeCallbacks : (closeCallbacks = new CloseCallbacks())).add(callback);
        }
    }

    void scheduleFlush() {
        if (!flushScheduled) {
            flushScheduled = true;
            loop.afterBatch(scheduledFlush);
        }
    }

    /** Where the connection is in its life; only this class changes it. */
    ConnectionState state() {
        return state;
    }

    boolean isOpen() {
        return state.compareTo(PAUSED) <= 0;
    }

    @Override
    public String toString() {
        return "Connection" + peer;
    }
}
