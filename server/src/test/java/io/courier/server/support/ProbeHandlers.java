package io.courier.server.support;

import io.courier.protocol.Json;
import io.courier.protocol.Message;
import io.courier.server.api.Handler;
import io.courier.server.api.Session;

import java.util.concurrent.atomic.AtomicInteger;

/** Small handlers the service tests register next to the built-in ones. */
public final class ProbeHandlers {
    private ProbeHandlers() {
    }

    /** {@code whoami}: replies with the session's transport and both addresses, as the handler sees them. */
    public static final class WhoAmI implements Handler {
        @Override
        public String type() {
            return "whoami";
        }

        @Override
        public Message handle(Message request, Session session) {
            return Message.replyTo(request)
                    .with("transport", session.transport())
                    .with("remote", String.valueOf(session.remoteAddress()))
                    .with("local", String.valueOf(session.localAddress()));
        }
    }

    /** {@code blob}: replies with a body of {@code size} bytes (the pattern 0, 1, 2 ... 255, 0 ...). */
    public static final class Blob implements Handler {
        private final AtomicInteger handled = new AtomicInteger();

        @Override
        public String type() {
            return "blob";
        }

        @Override
        public Message handle(Message request, Session session) {
            int size = request.header().path("size").asInt(0);
            byte[] body = new byte[size];
            for (int i = 0; i < size; i++) {
                body[i] = (byte) i;
            }
            handled.incrementAndGet();
            return Message.replyTo(request).withBody(body);
        }

        /** Requests this handler has answered. */
        public int handled() {
            return handled.get();
        }
    }

    /**
     * {@code firehose}: pushes {@code count} events of type {@code tick} with a body of {@code size} bytes to the
     * caller, all at once from the loop, then replies. A client that does not read becomes a slow consumer.
     */
    public static final class Firehose implements Handler {
        @Override
        public String type() {
            return "firehose";
        }

        @Override
        public Message handle(Message request, Session session) {
            int count = request.header().path("count").asInt(1);
            int size = request.header().path("size").asInt(0);
            for (int i = 0; i < count; i++) {
                session.send(Message.of("tick").with("n", i).withBody(new byte[size]));
            }
            return Message.replyTo(request).with("sent", count);
        }
    }

    /**
     * {@code unencodable}: a plugin mistake, a reply holding a Java object Jackson cannot write. The client must
     * get one {@code handler_failed} and keep its connection (or, over UDP, the listener must keep serving).
     */
    public static final class Unencodable implements Handler {
        @Override
        public String type() {
            return "unencodable";
        }

        @Override
        public Message handle(Message request, Session session) {
            return Message.replyTo(request).with("value", Json.NODES.pojoNode(new Object()));
        }
    }
}
