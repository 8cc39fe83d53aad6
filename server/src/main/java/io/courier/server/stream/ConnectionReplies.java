package io.courier.server.stream;

import io.courier.protocol.Message;
import io.courier.protocol.MessageEncoder;
import io.courier.server.api.Session;
import io.courier.server.dispatch.Origin;
import io.courier.server.dispatch.WorkerPool;
import io.courier.server.metrics.CloseReason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static io.courier.server.stream.ConnectionState.CLOSED;

/**
 * A {@link Connection} as the dispatcher's {@link Origin}: where the replies to its requests arrive, now or from a
 * blocking handler later, and how every message for the client (replies, events, errors) is queued in its
 * {@link Outbound} under the limits that apply to queuing: a slow consumer is closed at once, and passing the
 * server's buffer budget has the biggest holders shed. One per connection, so dispatching still allocates nothing
 * per request. Kept apart from the connection because this is the per-reply path; when to flush is the
 * connection's. Loop-thread only.
 */
final class ConnectionReplies implements Origin {
    private static final Logger log = LoggerFactory.getLogger(Connection.class); // the connection's lines

    private final Connection connection;
    private final ConnectionContext context;
    private final Connections registry;
    private final Peer peer;
    private final ConnectionSession session;
    private final ConnectionFraming framing;
    private final Outbound out;
    private WorkerPool.Lane lane;
    private int pendingReplies; // requests on blocking handlers whose replies have not come back yet

    ConnectionReplies(Connection connection, Connections registry, Peer peer, ConnectionSession session,
                      ConnectionFraming framing, Outbound out) {
        this.connection = connection;
        this.registry = registry;
        this.context = registry.context;
        this.peer = peer;
        this.session = session;
        this.framing = framing;
        this.out = out;
    }

    @Override
    public Session session() {
        return session;
    }

    @Override
    public WorkerPool.Lane lane() {
        return lane != null ? lane : (lane = context.dispatcher.workers().newLane());
    }

    @Override
    public void reply(Message reply) {
        enqueue(reply);
    }

    @Override
    public void replyPending() {
        pendingReplies++;
        framing.replyPending();
    }

    /** The reply of a blocking handler, back on the loop. */
    @Override
    public void replyLater(Message reply) {
        pendingReplies--;
        if (connection.state() != CLOSED) {
            enqueue(reply, framing.laterReplyEncoder());
            connection.scheduleFlush();
        }
    }

    /** Requests on blocking handlers whose replies have not come back yet: a close waits for them. */
    int pendingReplies() {
        return pendingReplies;
    }

    /** Queues {@code message} in the client's framing (JSON text while none is known). */
    void enqueue(Message message) {
        enqueue(message, framing.encoder());
    }

    private void enqueue(Message message, MessageEncoder encoder) {
        if (connection.state() == CLOSED || !out.add(encoder, message)) {
            return;
        }
        if (context.stats.bufferedBytes() > context.bufferBudget) {
            registry.enforceBufferBudgetSoon(); // not now: this may be a room's broadcast, mid-iteration
        }
        long limit = context.config.slowConsumerBytes();
        if (out.queuedBytes() > limit) {
            log.warn("{} is a slow consumer: {} bytes of replies unsent, over slow-consumer-bytes {}; closing it",
                    peer, out.queuedBytes(), limit);
            connection.closeNow(CloseReason.SLOW_CONSUMER, null);
        }
    }

    @Override
    public String toString() {
        return connection.toString();
    }
}
