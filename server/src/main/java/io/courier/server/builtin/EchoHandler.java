package io.courier.server.builtin;

import io.courier.server.api.Handler;
import io.courier.server.api.Session;

import io.courier.protocol.Message;

/** {@code echo}: replies with every field of the request and the same body. */
final class EchoHandler implements Handler {
    @Override
    public String type() {
        return "echo";
    }

    @Override
    public String description() {
        return "Replies with every field of the request and the same body.";
    }

    @Override
    public Message handle(Message request, Session session) {
        // The request is ours: it becomes the reply, header bytes and body untouched (no JSON work at all).
        return request.asReply();
    }
}
