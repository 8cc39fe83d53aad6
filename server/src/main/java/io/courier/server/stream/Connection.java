package io.courier.server.stream;

import io.courier.protocol.ErrorCode;
import io.courier.protocol.Framing;
import io.courier.protocol.Message;
import io.courier.protocol.MessageDecoder;
import io.courier.protocol.MessageEncoder;
import io.courier.protocol.ProtocolException;
import io.courier.server.ListenerSpec;
import io.courier.server.handler.Origin;
import io.courier.server.handler.Session;
import io.courier.server.handler.WorkerPool;
import io.courier.server.loop.ChannelHandler;
import io.courier.server.loop.EventLoop;
import io.courier.server.metrics.CloseReason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * One client's stream connection (TCP or Unix domain): channel, framing, decoder, write queue and counters. Runs
 * on the event loop thread only; handlers reach it through its {@link ConnectionSession}.
 *
 * <p>Reading: at most {@code read-budget-bytes} per turn through the loop's shared buffer, decoded at once; the
 * replies one batch of reads produces go out in one gathering write. Backpressure: above the high watermark of
 * unsent bytes the connection is not read until they fall under the low watermark; above the slow-consumer limit
 * it is closed. Closes after the last reply go through {@link Lingering}, so the client never gets a reset.
 */
final class Connection implements ChannelHandler, MessageDecoder.Sink, Origin {
    private static final Logger log = LoggerFactory.getLogger(Connection.class);

    private final Connections shared;
    private final EventLoop loop;
    private final SocketChannel channel;
    private final Peer peer;
    private final ConnectionSession session;
    private final Traffic traffic = new Traffic();
    private final WriteQueue out = new WriteQueue();
    private SelectionKey key;

    private final Inbound inbound;
    private MessageEncoder encoder;
    private WorkerPool.Lane lane;
    private CloseCallbacks closeCallbacks; // created by the first Session.onClose: most connections have none
    private int pendingReplies; // requests on blocking handlers whose replies have not come back yet

    int slot = -1; // index in Connections' list while open, owned by Connections
    private boolean counted;
    private boolean readPaused;
    private boolean closing;
    private boolean lingering;
    private boolean closed;
    private boolean flushScheduled;
    private CloseReason closeReason;

    Connection(Connections shared, SocketChannel channel, ListenerSpec.Transport transport) throws IOException {
        this.shared = shared;
        this.loop = shared.loop;
        this.channel = channel;
        this.peer = new Peer(shared.nextId(), transport, channel.getRemoteAddress(), channel.getLocalAddress());
        this.session = new ConnectionSession(this, peer, loop);
        this.inbound = new Inbound(shared.config.limits());
    }

    void register() throws ClosedChannelException {
        key = loop.register(channel, SelectionKey.OP_READ, this);
        counted = true;
        shared.added(this);
        shared.connectionLog.line("{} connected on {}", peer, peer.localAddress());
    }

    /** Over the connection limit: a busy error in JSON text (the client's framing is not known yet), then close. */
    void rejectBusy() throws ClosedChannelException {
        key = loop.register(channel, 0, this);
        encoder = Framing.JSON_TEXT.encoder();
        enqueue(shared.rejected(this));
        requestClose(CloseReason.REJECTED);
    }

    @Override
    public void onReady(SelectionKey readyKey) {
        try {
            int ready = readyKey.readyOps();
            if ((ready & SelectionKey.OP_WRITE) != 0) {
                flush(); // first: draining the queue may let reading resume
            }
            if ((ready & SelectionKey.OP_READ) != 0 && !closed) {
                if (lingering) {
                    if (Lingering.peerDone(channel, loop.readBuffer())) {
                        closeNow(closeReason, null);
                    }
                } else if (!readPaused && !closing) {
                    read();
                }
            }
        } catch (RuntimeException e) {
            // A bug, ours or a handler's. Close through closeNow, not behind our back (the loop's catch-all only
            // closes the channel), so the connection is not left counted open and cannot stall a shutdown.
            log.error("{}: unexpected failure; closing the connection", peer, e);
            closeNow(CloseReason.SERVER_CLOSED, null);
        }
    }

    private void read() {
        ByteBuffer buffer = loop.readBuffer();
        int budget = shared.config.readBudgetBytes();
        try {
            while (budget > 0 && !closing && !readPaused) {
                buffer.clear();
                int n = channel.read(buffer);
                if (n < 0) {
                    endOfInput();
                    break;
                }
                if (n == 0) {
                    break;
                }
                traffic.read(n, System.nanoTime());
                shared.stats.bytesIn(n);
                budget -= n;
                buffer.flip();
                decode(buffer);
                if (closed) {
                    return;
                }
                applyBackpressure();
                if (n < buffer.capacity()) {
                    break; // the socket is most likely drained; skip the read that would return 0
                }
            }
        } catch (IOException e) {
            closeNow(CloseReason.RESET, e);
            return;
        }
        flush();
    }

    private void decode(ByteBuffer buffer) {
        try {
            if (!inbound.started()) {
                encoder = inbound.start(buffer).encoder();
            }
            inbound.decode(buffer, this);
        } catch (ProtocolException e) {
            if (encoder == null) {
                encoder = Framing.JSON_TEXT.encoder(); // no framing yet: answer in the readable one
            }
            fail(e);
            return;
        }
        if (!closed) {
            traffic.partial(inbound.hasPartialMessage());
        }
    }

    /** An error the stream cannot recover from: reply, then close once the reply is written. */
    private void fail(ProtocolException error) {
        shared.connectionLog.line("{} {}: {}; closing after the reply", peer, error.code().wireName(),
                error.getMessage());
        onError(error);
        requestClose(CloseReason.PROTOCOL_ERROR);
    }

    @Override
    public void onMessage(Message request) {
        if (closing || closed) {
            return; // the client is being closed; later requests in the same read are not served
        }
        traffic.messagesIn++;
        shared.stats.messageIn();
        Message reply = shared.dispatcher.dispatch(request, this);
        if (reply != null) {
            enqueue(reply);
        } else {
            pendingReplies++;
        }
    }

    @Override
    public Session session() {
        return session;
    }

    @Override
    public WorkerPool.Lane lane() {
        return lane != null ? lane : (lane = shared.dispatcher.workers().newLane());
    }

    /** The reply of a blocking handler, back on the loop. */
    @Override
    public void replyLater(Message reply) {
        pendingReplies--;
        if (!closed) {
            enqueue(reply);
            scheduleFlush();
        }
    }

    @Override
    public void onError(ProtocolException error) {
        enqueue(error.toReply());
    }

    private void enqueue(Message message) {
        if (closed) {
            return;
        }
        long queuedBefore = out.queuedBytes();
        message = SafeEncoding.encode(encoder, message, out, this);
        if (message == null) {
            return;
        }
        shared.stats.replyBytesQueued(out.queuedBytes() - queuedBefore, out.queuedBytes());
        String errorCode = shared.stats.sent(message);
        if (errorCode != null) {
            log.debug("{} error reply {}: {}", peer, errorCode, message.errorMessage());
        }
        traffic.messagesOut++;
        if (out.queuedBytes() > shared.config.slowConsumerBytes()) {
            log.warn("{} is a slow consumer: {} bytes of replies unsent, over slow-consumer-bytes {}; closing it",
                    peer, out.queuedBytes(), shared.config.slowConsumerBytes());
            closeNow(CloseReason.SLOW_CONSUMER, null);
        }
    }

    /**
     * Above the high watermark, write what the socket takes now; if still above, or if too many blocking requests
     * are in flight, stop reading this client until both come down.
     */
    private void applyBackpressure() {
        if (out.queuedBytes() > shared.config.writeHighWatermark()) {
            flush();
        }
        if (!closed && (out.queuedBytes() > shared.config.writeHighWatermark()
                || pendingReplies >= shared.config.maxInFlight())) {
            readPaused = true;
            setInterest(SelectionKey.OP_READ, false);
        }
    }

    /** Writes what the socket takes; keeps OP_WRITE on while anything is left; completes a requested close. */
    void flush() {
        if (closed) {
            return;
        }
        if (!out.isEmpty()) {
            try {
                long written = out.writeTo(channel, shared.writeScratch);
                if (written > 0) {
                    traffic.wrote(written, System.nanoTime());
                    shared.stats.bytesOut(written);
                    shared.stats.replyBytesQueued(-written, out.queuedBytes());
                }
            } catch (IOException e) {
                closeNow(CloseReason.RESET, e);
                return;
            }
        }
        if (out.isEmpty() && closing && !lingering && pendingReplies == 0) {
            startLingering();
            return;
        }
        setInterest(SelectionKey.OP_WRITE, !out.isEmpty());
        if (readPaused && out.queuedBytes() < shared.config.writeLowWatermark()
                && pendingReplies < shared.config.maxInFlight()) {
            readPaused = false;
            setInterest(SelectionKey.OP_READ, !closing);
        }
    }

    private void setInterest(int op, boolean on) {
        int ops = key.interestOps();
        int wanted = on ? ops | op : ops & ~op;
        if (wanted != ops) {
            key.interestOps(wanted);
        }
    }

    private void endOfInput() {
        if (inbound.hasPartialMessage()) {
            log.debug("{} closed its side in the middle of a message; the partial message is dropped", peer);
        }
        requestClose(CloseReason.CLIENT_CLOSED);
    }

    /** Stops reading and closes once every queued reply is written (the half-close, error and shutdown path). */
    void requestClose(CloseReason reason) {
        if (closed || closing) {
            return;
        }
        closing = true;
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
        lingering = true;
        if (!Lingering.begin(channel, key, loop, () -> closeNow(closeReason, null))) {
            closeNow(closeReason, null);
        }
    }

    /** Closes at once, dropping anything queued. */
    void closeNow(CloseReason reason, IOException cause) {
        if (closed) {
            return;
        }
        closed = true;
        shared.stats.replyBytesQueued(-out.queuedBytes(), 0);
        out.clear();
        key.cancel();
        try {
            channel.close();
        } catch (IOException e) {
            log.debug("{} close failed", peer, e);
        }
        inbound.close();
        if (closeCallbacks != null) {
            closeCallbacks.runAll(this);
        }
        if (!counted) {
            return; // a rejected connection was never open; its rejection was counted at accept
        }
        shared.removed(this, reason);
        shared.connectionLog.line("{} disconnected ({}{}) {}", peer, reason.description(),
                cause == null ? "" : ": " + cause.getMessage(), traffic.summary());
    }

    /** Called by the periodic sweep: closes the connection if it was idle, or a message stayed partial, too long. */
    void checkTimeouts(long now, long idleNanos, long frameNanos) {
        String violation = closing || closed ? null : Timeouts.violation(now, idleNanos, frameNanos,
                traffic.lastActivityNanos, traffic.partialSinceNanos);
        if (violation != null) {
            shared.connectionLog.line("{}: {}", peer, violation);
            encoder = encoder != null ? encoder : Framing.JSON_TEXT.encoder(); // silent from the start: JSON text
            enqueue(Message.error(null, null, ErrorCode.TIMEOUT, violation));
            requestClose(CloseReason.TIMEOUT);
        }
    }

    /** Shutdown: tell the client (if its framing is known), then close after the queued replies. */
    void closeForShutdown(Message notice) {
        if (encoder != null && !closing && !closed) {
            enqueue(notice);
        }
        requestClose(CloseReason.SHUTDOWN);
    }

    void sendEvent(Message event) {
        if (encoder != null && !closing && !closed) {
            enqueue(event);
            scheduleFlush();
        }
    }

    void onClose(Runnable callback) {
        if (closed) {
            callback.run();
        } else {
            (closeCallbacks != null ? closeCallbacks : (closeCallbacks = new CloseCallbacks())).add(callback);
        }
    }

    private void scheduleFlush() {
        if (!flushScheduled) {
            flushScheduled = true;
            loop.afterBatch(() -> {
                flushScheduled = false;
                flush();
            });
        }
    }

    boolean isOpen() {
        return !closed && !closing;
    }

    @Override
    public String toString() {
        return "Connection" + peer;
    }
}
