package io.courier.server.stream;

import io.courier.protocol.Message;
import io.courier.protocol.MessageEncoder;
import io.courier.server.dispatch.UnencodableReply;
import io.courier.server.transport.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * A connection's way out: messages encoded into its {@link WriteQueue} and written through its transport, with the
 * server's counters of queued and written bytes kept in step. A message that cannot be encoded (a handler put a
 * POJO node in its reply, say) costs one {@code handler_failed} reply, never a corrupt stream: the half-written
 * bytes are taken back. Loop thread only; when to flush and what a full queue means is the connection's business.
 */
final class Outbound {
    private static final Logger log = LoggerFactory.getLogger(Connection.class); // the connection's lines
    /** Below this a copy into the member's chunk costs less than a buffer of its own in the gathering write. */
    private static final int SHARE_ABOVE = 4096;

    private final ConnectionContext context;
    private final Traffic traffic;
    private final Peer peer;
    private final WriteQueue queue;

    Outbound(ConnectionContext context, Traffic traffic, Peer peer) {
        this.context = context;
        this.queue = new WriteQueue(context.chunks);
        this.traffic = traffic;
        this.peer = peer;
    }

    /**
     * Encodes {@code message} at the end of the queue, or its {@code handler_failed} stand-in if it cannot be
     * encoded, and counts it as sent.
     *
     * @return false if nothing was queued (an event that could not be encoded is dropped)
     */
    boolean add(MessageEncoder encoder, Message message) {
        long queuedBefore = queue.queuedBytes();
        Message queued = message;
        try {
            if (message.isShared()) {
                queueShared(message.encodedOnce(encoder));
            } else {
                encoder.encode(message, queue);
            }
        } catch (RuntimeException e) {
            queue.discardLast(queue.queuedBytes() - queuedBefore);
            queued = UnencodableReply.standIn(message, peer, e);
            if (queued == null) {
                return false;
            }
            encoder.encode(queued, queue);
        }
        context.stats.replyBytesQueued(queue.queuedBytes() - queuedBefore, queue.queuedBytes());
        traffic.messagesOut++;
        String errorCode = context.stats.sent(queued);
        if (errorCode != null) {
            log.debug("{} error reply {}: {}", peer, errorCode, queued.errorMessage());
        }
        return true;
    }

    /** Bytes as they are, no message: an HTTP answer, a WebSocket control frame. */
    void addRaw(byte[] bytes) {
        queue.write(bytes, 0, bytes.length);
        context.stats.replyBytesQueued(bytes.length, queue.queuedBytes());
    }

    /** A broadcast's bytes, encoded once for every member: small ones copied into the queue, large ones shared. */
    private void queueShared(byte[] bytes) {
        if (bytes.length <= SHARE_ABOVE) {
            queue.write(bytes, 0, bytes.length);
        } else {
            queue.writeShared(bytes);
        }
    }

    /**
     * Sends the transport's own bytes (handshake records), then the queue, as far as the socket takes them.
     *
     * @return true while anything is left unsent, of either kind
     */
    boolean write(Transport transport) throws IOException {
        if (transport.hasPendingOutput()) {
            transport.flushPendingOutput();
        }
        if (!queue.isEmpty()) {
            long written = queue.writeTo(transport, context.writeScratch);
            if (written > 0) {
                traffic.wrote(written, System.nanoTime());
                context.stats.bytesOut(written);
                context.stats.replyBytesQueued(-written, queue.queuedBytes());
            }
        }
        return !queue.isEmpty() || transport.hasPendingOutput();
    }

    /** Drops everything queued: the peer is gone, or is being cut off. */
    void drop() {
        context.stats.replyBytesQueued(-queue.queuedBytes(), 0);
        queue.clear();
    }

    long queuedBytes() {
        return queue.queuedBytes();
    }

    /** Past write-high-watermark: write at once, and stop reading the client while it stays there. */
    boolean aboveHighWatermark() {
        return queue.queuedBytes() > context.config.writeHighWatermark();
    }

    /** Under write-low-watermark: a client paused for its unsent replies may be read again. */
    boolean belowLowWatermark() {
        return queue.queuedBytes() < context.config.writeLowWatermark();
    }
}
