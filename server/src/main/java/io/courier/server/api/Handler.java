package io.courier.server.api;

import io.courier.protocol.Message;

/**
 * Serves one message type. The server routes each request by its {@code type} and sends back exactly one reply:
 * the message {@link #handle} returns, or an error reply if it throws.
 *
 * <p>Handlers run on the event loop, so they must not block: no disk, no network, no locks held for long. A
 * handler that needs to block says so with {@link #blocking()}: it then runs on the worker pool, one request at a
 * time per connection, and its reply is posted back to the loop. Throw {@link RequestException} for a request that is wrong (its code and sentence go to the client); any other
 * exception becomes {@code handler_failed} and is logged, and the connection stays open.
 */
public interface Handler {
    /** The {@code type} this handler serves, e.g. {@code "echo"}. */
    String type();

    /** One sentence for the {@code types} listing. */
    default String description() {
        return "";
    }

    /**
     * True when {@link #handle} may block (disk, network, locks, long computations): it then runs on the bounded
     * worker pool, never on the event loop. When every worker is busy and the queue is full, the request gets a
     * {@code busy} error.
     */
    default boolean blocking() {
        return false;
    }

    /**
     * Handles one request and returns its reply, typically built with {@code Message.replyTo(request)}. The
     * request is the handler's to keep or reuse, and so is the array {@code request.body()} returns. The one
     * exception: a request returned as its own reply ({@code request.asReply()}, as {@code echo} does) is handed
     * over with its body, which the server then sends from its pooled buffer without a copy; a handler that keeps
     * such a request reads {@code body()} before returning. Returning {@code null} sends a bare {@code ok:true}
     * reply.
     */
    Message handle(Message request, Session session) throws Exception;
}
