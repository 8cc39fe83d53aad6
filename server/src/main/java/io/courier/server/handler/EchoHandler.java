package io.courier.server.handler;

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
        // The request is ours: reuse its header and body rather than copying them.
        request.header().put(Message.OK, true);
        return request;
    }
}
