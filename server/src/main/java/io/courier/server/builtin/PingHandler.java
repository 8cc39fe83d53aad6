package io.courier.server.builtin;

import io.courier.server.api.Handler;
import io.courier.server.api.Session;

import io.courier.protocol.HeaderWriter;
import io.courier.protocol.Message;

/** {@code ping}: replies with the server clock, so a client can check liveness and round-trip time. */
final class PingHandler implements Handler {
    @Override
    public String type() {
        return "ping";
    }

    @Override
    public String description() {
        return "Replies with \"time\", the server clock in epoch milliseconds.";
    }

    @Override
    public Message handle(Message request, Session session) {
        return HeaderWriter.replyTo(request).field("time", System.currentTimeMillis()).message();
    }
}
