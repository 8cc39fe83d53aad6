package io.courier.server.handler;

import io.courier.protocol.Message;

/**
 * Where a request came from, as the dispatcher needs it: the session handlers see, the lane that runs its blocking
 * work in order, and where a reply produced later goes. A connection is its own origin, so dispatching allocates
 * nothing per request.
 */
public interface Origin {
    Session session();

    /** The ordered lane for blocking handlers; asked for only when a blocking handler is hit. */
    WorkerPool.Lane lane();

    /** Receives, on the event loop, the reply of a request whose handler ran on the worker pool. */
    void replyLater(Message reply);
}
