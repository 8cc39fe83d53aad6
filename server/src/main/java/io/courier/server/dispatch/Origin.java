package io.courier.server.dispatch;

import io.courier.server.api.Session;

import io.courier.protocol.Message;

/**
 * Where a request came from, as the dispatcher needs it: the session handlers see, the lane that runs its blocking
 * work in order, and where its reply goes, now or later. A connection keeps one origin for all its requests, so
 * dispatching allocates nothing per request.
 */
public interface Origin {
    Session session();

    /** The ordered lane for blocking handlers; asked for only when a blocking handler is hit. */
    WorkerPool.Lane lane();

    /** Receives the reply produced right away, on the event loop (handlers that do not block, errors). */
    void reply(Message reply);

    /** The request went to a blocking handler on the worker pool: its reply comes later, through replyLater. */
    void replyPending();

    /** Receives, on the event loop, the reply of a request whose handler ran on the worker pool. */
    void replyLater(Message reply);
}
