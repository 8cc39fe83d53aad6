package io.courier.server.tcp;

import io.courier.protocol.ErrorCode;
import io.courier.protocol.Framing;
import io.courier.protocol.Message;
import io.courier.protocol.MessageDecoder;
import io.courier.protocol.MessageEncoder;
import io.courier.protocol.ProtocolException;
import io.courier.server.handler.Session;
import io.courier.server.loop.ChannelHandler;
import io.courier.server.loop.EventLoop;
import io.courier.server.loop.Timer;
import io.courier.server.metrics.CloseReason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One client's TCP connection: its channel, framing, decoder, write queue and counters. Everything here runs on
 * the event loop thread, except the {@link Session} methods, which hop onto the loop when called from elsewhere.
 *
 * <p>Reading: at most {@code read-budget-bytes} per turn through the loop's shared buffer, decoded at once; the
 * replies one batch of reads produces go out in one gathering write. Backpressure: above the high watermark of
 * queued bytes the connection stops reading until the queue falls under the low watermark; above the slow-consumer
 * limit it is closed.
 */
final class Connection implements ChannelHandler, Session, MessageDecoder.Sink {
    private static final Logger log = LoggerFactory.getLogger(Connection.class);
    /** After the last reply and our FIN, how long to wait for the client's FIN while discarding its input. */
    private static final long LINGER_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final Connections shared;
    private final EventLoop loop;
    private final SocketChannel channel;
    private final long id;
    private final long openedAtNanos = System.nanoTime();
    private final SocketAddress remoteAddress;
    private final SocketAddress localAddress;
    private final WriteQueue out = new WriteQueue();
    private SelectionKey key;

    private MessageDecoder decoder;
    private MessageEncoder encoder;

    private boolean readPaused;
    private boolean closing;
    /** Every reply written and our side shut down; discarding input until the client closes too. */
    private boolean lingering;
    private Timer lingerTimer;
    /** The client's end of stream has been read: nothing unread can turn our close into a reset. */
    private boolean inputEnded;
    private boolean closed;
    private boolean flushScheduled;
    /** Inside decoder.decode(): a message handled there may close the connection, but not the decoder. */
    private boolean decoding;
    private CloseReason closeReason;
    private long messagesIn;
    private long messagesOut;
    private long bytesIn;
    private long bytesOut;
    private Map<String, Object> attributes;

    Connection(Connections shared, SocketChannel channel) throws IOException {
        this.shared = shared;
        this.loop = shared.loop;
        this.channel = channel;
        this.id = shared.nextId();
        this.remoteAddress = channel.getRemoteAddress();
        this.localAddress = channel.getLocalAddress();
    }

    void register() throws ClosedChannelException {
        key = loop.register(channel, SelectionKey.OP_READ, this);
        shared.added(this);
        log.info("#{} connected from {}", id, remoteAddress);
    }

    @Override
    public void onReady(SelectionKey readyKey) {
        try {
            int ready = readyKey.readyOps();
            if ((ready & SelectionKey.OP_WRITE) != 0) {
                flush(); // first: draining the queue may let reading resume
            }
            if ((ready & SelectionKey.OP_READ) != 0 && lingering && !closed) {
                discardInput();
            } else if ((ready & SelectionKey.OP_READ) != 0 && !readPaused && !closing && !closed) {
                read();
            }
        } catch (RuntimeException e) {
            // A bug, ours or a handler's. Close through closeNow, not behind our back (the loop's catch-all only
            // closes the channel), so the connection is not left counted open and cannot stall a shutdown.
            log.error("#{} from {}: unexpected failure; closing the connection", id, remoteAddress, e);
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
        } finally {
            decoding = false;
            if (closed) {
                decoder.close(); // closed by a message of this batch (e.g. a slow consumer): release it now
            }
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
        enqueue(shared.dispatcher.dispatch(request, this));
    }

    @Override
    public void onError(ProtocolException error) {
        enqueue(error.toReply());
    }

    private void enqueue(Message message) {
        if (closed || lingering) {
            return; // lingering: our side of the stream is already shut down
        }
        long queuedBefore = out.queuedBytes();
        try {
            encoder.encode(message, out);
        } catch (RuntimeException e) {
            // A handler put something in the header that Jackson cannot write (e.g. a POJO node). Take back what
            // the encoder wrote before it failed, so the stream stays whole.
            out.discardLast(out.queuedBytes() - queuedBefore);
            log.error("#{} from {}: a '{}' message cannot be encoded", id, remoteAddress, message.type(), e);
            if (!message.isReply()) {
                return; // an event: nobody waits for it, drop it
            }
            message = Message.error(message.type(), message.id(), ErrorCode.HANDLER_FAILED,
                    "the handler for '" + message.type() + "' produced a reply the server cannot encode; the server "
                            + "logged the cause, and your connection stays open");
            encoder.encode(message, out);
        }
        String errorCode = message.errorCode();
        if (errorCode != null && message.isReply()) {
            shared.stats.error(ErrorCode.fromWireName(errorCode));
        }
        shared.stats.replyBytesQueued(out.queuedBytes() - queuedBefore, out.queuedBytes());
        messagesOut++;
        shared.stats.messageOut();
        if (out.queuedBytes() > shared.config.slowConsumerBytes()) {
            log.warn("#{} from {} is a slow consumer: {} bytes of replies queued, over slow-consumer-bytes {}; "
                    + "closing it", id, remoteAddress, out.queuedBytes(), shared.config.slowConsumerBytes());
            closeNow(CloseReason.SLOW_CONSUMER, null);
        }
    }

    /** Above the high watermark, write what the socket takes now; if still above, stop reading this client. */
    private void applyBackpressure() {
        if (out.queuedBytes() > shared.config.writeHighWatermark()) {
            flush();
            if (!closed && out.queuedBytes() > shared.config.writeHighWatermark()) {
                readPaused = true;
                setInterest(SelectionKey.OP_READ, false);
            }
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
                bytesOut += written;
                shared.stats.bytesOut(written);
                shared.stats.replyBytesQueued(-written, out.queuedBytes());
            } catch (IOException e) {
                closeNow(CloseReason.RESET, e);
                return;
            }
        }
        if (out.isEmpty() && closing) {
            linger();
            return;
        }
        setInterest(SelectionKey.OP_WRITE, !out.isEmpty());
        if (readPaused && out.queuedBytes() < shared.config.writeLowWatermark()) {
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
        inputEnded = true;
        if (decoder != null && decoder.hasPartialMessage()) {
            log.debug("#{} closed its side in the middle of a message; the partial message is dropped", id);
        }
        requestClose(CloseReason.CLIENT_CLOSED);
    }

    /** Stops reading and closes once every queued reply is written (the half-close and shutdown path). */
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
     * Every reply is written; close without destroying them. Closing a socket that still has unread input makes
     * the kernel send a reset and drop whatever it has not yet delivered to the client: replies the client would
     * otherwise still read. So unless the client has already ended its side, shut down ours (FIN after the last
     * reply), discard what the client still sends, and close when its FIN comes or after a short linger.
     */
    private void linger() {
        if (lingering) {
            return;
        }
        if (inputEnded) {
            closeNow(closeReason, null);
            return;
        }
        lingering = true;
        try {
            channel.shutdownOutput();
        } catch (IOException e) {
            closeNow(closeReason, e);
            return;
        }
        setInterest(SelectionKey.OP_WRITE, false);
        setInterest(SelectionKey.OP_READ, true);
        lingerTimer = loop.schedule(LINGER_NANOS, () -> closeNow(closeReason, null));
        discardInput();
    }

    /** While lingering: read and drop input (one read budget per turn) until the client's end of stream. */
    private void discardInput() {
        ByteBuffer buffer = loop.readBuffer();
        int budget = shared.config.readBudgetBytes();
        try {
            while (budget > 0) {
                buffer.clear();
                int n = channel.read(buffer);
                if (n < 0) {
                    closeNow(closeReason, null);
                    return;
                }
                if (n == 0) {
                    return;
                }
                budget -= n;
            }
        } catch (IOException e) {
            closeNow(closeReason, null); // the client reset after our FIN: it wants nothing more
        }
    }

    /** Closes at once, dropping anything queued. */
    void closeNow(CloseReason reason, IOException cause) {
        if (closed) {
            return;
        }
        closed = true;
        if (lingerTimer != null) {
            lingerTimer.cancel();
        }
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
        shared.removed(this);
        shared.stats.connectionClosed(reason);
        long millis = (System.nanoTime() - openedAtNanos) / 1_000_000;
        log.info("#{} from {} disconnected ({}{}) after {} ms: {} messages in, {} out; {} bytes in, {} out",
                id, remoteAddress, reason.description(), cause == null ? "" : ": " + cause.getMessage(), millis,
                messagesIn, messagesOut, bytesIn, bytesOut);
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

    // ---- Session: callable from any thread ----

    @Override
    public long id() {
        return id;
    }

    @Override
    public String transport() {
        return "tcp";
    }

    @Override
    public SocketAddress remoteAddress() {
        return remoteAddress;
    }

    @Override
    public SocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public void send(Message event) {
        if (loop.inEventLoop()) {
            if (encoder != null) {
                enqueue(event);
                scheduleFlush();
            }
        } else {
            loop.execute(() -> send(event));
        }
    }

    @Override
    public void close() {
        if (loop.inEventLoop()) {
            requestClose(CloseReason.SERVER_CLOSED);
        } else {
            loop.execute(this::close);
        }
    }

    @Override
    public boolean isOpen() {
        return !closed && !closing;
    }

    @Override
    public synchronized Object attribute(String name) {
        return attributes == null ? null : attributes.get(name);
    }

    @Override
    public synchronized void attribute(String name, Object value) {
        if (value == null) {
            if (attributes != null) {
                attributes.remove(name);
            }
            return;
        }
        if (attributes == null) {
            attributes = new HashMap<>(4);
        }
        attributes.put(name, value);
    }

    @Override
    public String toString() {
        return "Connection#" + id + "[" + remoteAddress + "]";
    }
}
