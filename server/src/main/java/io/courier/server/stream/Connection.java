package io.courier.server.stream;

import io.courier.protocol.ErrorCode;
import io.courier.protocol.Framing;
import io.courier.protocol.Message;
import io.courier.protocol.MessageDecoder;
import io.courier.protocol.MessageEncoder;
import io.courier.protocol.ProtocolException;
import io.courier.server.ListenerSpec;
import io.courier.server.handler.WorkerPool;
import io.courier.server.loop.ChannelHandler;
import io.courier.server.loop.EventLoop;
import io.courier.server.metrics.CloseReason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One client's stream connection (TCP or Unix domain): channel, framing, decoder, write queue and counters. Runs
 * on the event loop thread only; handlers reach it through its {@link ConnectionSession}.
 *
 * <p>Reading: at most {@code read-budget-bytes} per turn through the loop's shared buffer, decoded at once; the
 * replies one batch of reads produces go out in one gathering write. Backpressure: above the high watermark of
 * unsent bytes the connection is not read until they fall under the low watermark; above the slow-consumer limit
 * it is closed. Closing after an error reply is "lingering": the write side is shut first and unread input is
 * drained for a moment, so the client receives the reply rather than a reset.
 */
final class Connection implements ChannelHandler, MessageDecoder.Sink {
    private static final Logger log = LoggerFactory.getLogger(Connection.class);
    private static final long LINGER_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final Connections shared;
    private final EventLoop loop;
    private final SocketChannel channel;
    private final ListenerSpec.Transport transport;
    private final ConnectionSession session;
    private final long id;
    private final long openedAtNanos = System.nanoTime();
    private final SocketAddress remoteAddress;
    private final SocketAddress localAddress;
    private final WriteQueue out = new WriteQueue();
    private SelectionKey key;

    private MessageDecoder decoder;
    private MessageEncoder encoder;
    private WorkerPool.Lane lane;
    private List<Runnable> closeCallbacks;
    /** Requests handed to blocking handlers whose replies have not come back yet. */
    private int pendingReplies;

    private boolean counted;
    private boolean readPaused;
    private boolean closing;
    private boolean lingering;
    private boolean closed;
    private boolean flushScheduled;
    /** Inside decoder.decode(): a message handled there may close the connection, but not the decoder. */
    private boolean decoding;
    private CloseReason closeReason;
    private long lastActivityNanos = openedAtNanos;
    private long partialSinceNanos;
    private long messagesIn;
    private long messagesOut;
    private long bytesIn;
    private long bytesOut;

    Connection(Connections shared, SocketChannel channel, ListenerSpec.Transport transport) throws IOException {
        this.shared = shared;
        this.loop = shared.loop;
        this.channel = channel;
        this.transport = transport;
        this.session = new ConnectionSession(this, loop);
        this.id = shared.nextId();
        this.remoteAddress = channel.getRemoteAddress();
        this.localAddress = channel.getLocalAddress();
    }

    void register() throws ClosedChannelException {
        key = loop.register(channel, SelectionKey.OP_READ, this);
        counted = true;
        shared.added(this);
        log.info("#{} connected from {} on {}", id, describeRemote(), localAddress);
    }

    /** Over the connection limit: a busy error in JSON text (the client's framing is not known yet), then close. */
    void rejectBusy() throws ClosedChannelException {
        key = loop.register(channel, 0, this);
        encoder = Framing.JSON_TEXT.encoder();
        shared.rejected(this);
        enqueue(Message.error(null, null, ErrorCode.BUSY, "the server is at its limit of "
                + shared.config.maxConnections() + " connections (max-connections); try again later"));
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
                    drainLingering();
                } else if (!readPaused && !closing) {
                    read();
                }
            }
        } catch (RuntimeException e) {
            // A bug, ours or a handler's. Close through closeNow, not behind our back (the loop's catch-all only
            // closes the channel), so the connection is not left counted open and cannot stall a shutdown.
            log.error("#{} from {}: unexpected failure; closing the connection", id, describeRemote(), e);
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
                bytesIn += n;
                shared.stats.bytesIn(n);
                budget -= n;
                lastActivityNanos = System.nanoTime();
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
        if (decoder == null) {
            byte first = buffer.get(buffer.position());
            Framing framing = Framing.detect(first);
            if (framing == null) {
                encoder = Framing.JSON_TEXT.encoder();
                fail(new ProtocolException(ErrorCode.UNKNOWN_PROTOCOL, false, Framing.expectation(first)));
                return;
            }
            decoder = framing.newDecoder(shared.config.limits());
            encoder = framing.encoder();
        }
        decoding = true;
        try {
            decoder.decode(buffer, this);
        } catch (ProtocolException e) {
            fail(e);
            return;
        } finally {
            decoding = false;
            if (closed) {
                decoder.close(); // closed by a message of this batch (a slow consumer, say): release it now
            }
        }
        if (closed) {
            return;
        }
        if (!decoder.hasPartialMessage()) {
            partialSinceNanos = 0;
        } else if (partialSinceNanos == 0) {
            partialSinceNanos = lastActivityNanos;
        }
    }

    /** An error the stream cannot recover from: reply, then close once the reply is written. */
    private void fail(ProtocolException error) {
        log.info("#{} {}: {}; closing after the reply", id, error.code().wireName(), error.getMessage());
        onError(error);
        requestClose(CloseReason.PROTOCOL_ERROR);
    }

    @Override
    public void onMessage(Message request) {
        if (closing || closed) {
            return; // the client is being closed; later requests in the same read are not served
        }
        messagesIn++;
        shared.stats.messageIn();
        if (lane == null) {
            lane = shared.dispatcher.workers().newLane();
        }
        Message reply = shared.dispatcher.dispatch(request, session, lane, this::completeLater);
        if (reply != null) {
            enqueue(reply);
        } else {
            pendingReplies++;
        }
    }

    /** The reply of a blocking handler, back on the loop. */
    private void completeLater(Message reply) {
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
        try {
            encoder.encode(message, out);
        } catch (RuntimeException e) {
            // A handler put something in the header that Jackson cannot write (a POJO node, say). Take back what
            // the encoder wrote before it failed, so the stream stays whole, and answer handler_failed instead.
            out.discardLast(out.queuedBytes() - queuedBefore);
            log.error("#{} from {}: a '{}' message cannot be encoded", id, describeRemote(), message.type(), e);
            if (!message.isReply()) {
                return; // an event: nobody waits for it, drop it
            }
            message = Message.error(message.type(), message.id(), ErrorCode.HANDLER_FAILED,
                    "the handler for '" + message.type() + "' produced a reply the server cannot encode; the server "
                            + "logged the cause, and your connection stays open");
            encoder.encode(message, out);
        }
        shared.stats.replyBytesQueued(out.queuedBytes() - queuedBefore, out.queuedBytes());
        String errorCode = shared.stats.sent(message);
        if (errorCode != null) {
            log.debug("#{} error reply {}: {}", id, errorCode, message.errorMessage());
        }
        messagesOut++;
        if (out.queuedBytes() > shared.config.slowConsumerBytes()) {
            log.warn("#{} from {} is a slow consumer: {} bytes of replies unsent, over slow-consumer-bytes {}; "
                    + "closing it", id, describeRemote(), out.queuedBytes(), shared.config.slowConsumerBytes());
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
                    bytesOut += written;
                    shared.stats.bytesOut(written);
                    shared.stats.replyBytesQueued(-written, out.queuedBytes());
                    lastActivityNanos = System.nanoTime();
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
        if (decoder != null && decoder.hasPartialMessage()) {
            log.debug("#{} closed its side in the middle of a message; the partial message is dropped", id);
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
        try {
            channel.shutdownOutput();
        } catch (IOException e) {
            closeNow(closeReason, null);
            return;
        }
        key.interestOps(SelectionKey.OP_READ);
        loop.schedule(LINGER_NANOS, () -> closeNow(closeReason, null));
    }

    private void drainLingering() {
        ByteBuffer buffer = loop.readBuffer();
        try {
            for (int i = 0; i < 4; i++) {
                buffer.clear();
                int n = channel.read(buffer);
                if (n < 0) {
                    closeNow(closeReason, null);
                    return;
                }
                if (n == 0) {
                    return;
                }
            }
        } catch (IOException e) {
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
            log.debug("#{} close failed", id, e);
        }
        if (decoder != null && !decoding) {
            decoder.close(); // never under the decoder's feet: decode() closes it when it returns
        }
        runCloseCallbacks();
        if (!counted) {
            return; // a rejected connection was never open; its rejection was counted at accept
        }
        shared.removed(this, reason);
        long millis = (System.nanoTime() - openedAtNanos) / 1_000_000;
        log.info("#{} from {} disconnected ({}{}) after {} ms: {} messages in, {} out; {} bytes in, {} out",
                id, describeRemote(), reason.description(), cause == null ? "" : ": " + cause.getMessage(), millis,
                messagesIn, messagesOut, bytesIn, bytesOut);
    }

    /** Called by the periodic sweep: closes the connection if it was idle, or a message stayed partial, too long. */
    void checkTimeouts(long now, long idleNanos, long frameNanos) {
        if (closing || closed) {
            return;
        }
        if (frameNanos > 0 && partialSinceNanos != 0 && now - partialSinceNanos > frameNanos) {
            timeOut("a message stayed incomplete for longer than frame-timeout ("
                    + TimeUnit.NANOSECONDS.toMillis(frameNanos) + " ms); send each message whole and promptly");
        } else if (idleNanos > 0 && now - lastActivityNanos > idleNanos) {
            timeOut("no traffic for longer than idle-timeout (" + TimeUnit.NANOSECONDS.toMillis(idleNanos)
                    + " ms); send a ping now and then to keep a quiet connection open");
        }
    }

    private void timeOut(String sentence) {
        if (encoder == null) {
            encoder = Framing.JSON_TEXT.encoder();
        }
        log.info("#{} from {}: {}", id, describeRemote(), sentence);
        enqueue(Message.error(null, null, ErrorCode.TIMEOUT, sentence));
        requestClose(CloseReason.TIMEOUT);
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
            return;
        }
        if (closeCallbacks == null) {
            closeCallbacks = new ArrayList<>(2);
        }
        closeCallbacks.add(callback);
    }

    private void runCloseCallbacks() {
        if (closeCallbacks == null) {
            return;
        }
        for (Runnable callback : closeCallbacks) {
            try {
                callback.run();
            } catch (RuntimeException e) {
                log.warn("#{} a close callback failed", id, e);
            }
        }
        closeCallbacks = null;
    }

    void closeByHandler() {
        requestClose(CloseReason.SERVER_CLOSED);
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

    long id() {
        return id;
    }

    String transportName() {
        return transport.name().toLowerCase(java.util.Locale.ROOT);
    }

    SocketAddress remoteAddress() {
        return remoteAddress;
    }

    SocketAddress localAddress() {
        return localAddress;
    }

    boolean isOpen() {
        return !closed && !closing;
    }

    /** Unix domain peers have no address; name the socket instead. */
    private Object describeRemote() {
        return transport == ListenerSpec.Transport.UNIX ? "unix:" + localAddress : remoteAddress;
    }

    @Override
    public String toString() {
        return "Connection#" + id + "[" + describeRemote() + "]";
    }
}
