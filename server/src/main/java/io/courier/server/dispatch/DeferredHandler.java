package io.courier.server.dispatch;

import io.courier.protocol.Message;
import io.courier.server.api.Handler;
import io.courier.server.api.Session;

/**
 * A handler that runs on the event loop, does not block, and may reply later: after a round trip that the loop
 * itself drives (a command to Redis on a socket registered with the same selector). The reply goes out as soon
 * as {@link Reply#send} is called; called before {@link #handle(Message, Session, Reply)} returns, it is queued in
 * order like any loop handler's reply. Until then the request counts as in flight, like a blocking handler's, so
 * a client that piles them up stops being read at {@code max-in-flight}. Internal to the server: plugins that need
 * to wait use {@link Handler#blocking()}.
 */
public interface DeferredHandler extends Handler {
    /** Where the one reply of a deferred request goes. Loop thread only. */
    interface Reply {
        /** The reply; completed like any handler's (type, id, ok). At most once. */
        void send(Message reply);

        /** The request failed: a {@code RequestException} becomes its error reply, anything else handler_failed. */
        void fail(Exception error);
    }

    /** Handles the request; exactly one of {@code reply}'s methods is called, now or later, on the loop. */
    void handle(Message request, Session session, Reply reply) throws Exception;

    /** Not used: the dispatcher calls {@link #handle(Message, Session, Reply)}. */
    @Override
    default Message handle(Message request, Session session) {
        throw new UnsupportedOperationException("a deferred handler replies through DeferredHandler.Reply");
    }
}
