package io.courier.protocol.client;

import io.courier.protocol.Message;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/**
 * Up to {@code window} requests in flight on one connection, their replies taken in the order they were sent.
 * Transfers pipeline their chunks this way: the server handles one connection's blocking requests in arrival
 * order, so the replies of the chunks come back in order too, and a window keeps the link busy without queueing
 * a whole file in memory.
 */
final class Pipeline {
    private record InFlight(Message request, CompletableFuture<Message> reply) {
    }

    private final MessageClient client;
    private final int window;
    private final Duration timeout;
    private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();

    Pipeline(MessageClient client, int window, Duration timeout) {
        this.client = client;
        this.window = Math.max(1, window);
        this.timeout = timeout;
    }

    /** Sends {@code request} once there is room in the window. */
    void send(Message request) {
        inFlight.add(new InFlight(request, client.request(request)));
    }

    /** True when the window is full: take a reply before sending more. */
    boolean full() {
        return inFlight.size() >= window;
    }

    boolean isEmpty() {
        return inFlight.isEmpty();
    }

    /** The reply to the oldest request in flight, which must be {@code ok:true}. */
    Message nextOk() throws IOException, TimeoutException {
        InFlight oldest = inFlight.remove();
        return ErrorReplyException.requireOk(MessageClient.await(oldest.reply(), oldest.request(), timeout));
    }

    /** Forgets the requests still in flight (after a failure); their replies go nowhere. */
    void abandon() {
        for (InFlight pending : inFlight) {
            pending.reply().cancel(false);
        }
        inFlight.clear();
    }
}
