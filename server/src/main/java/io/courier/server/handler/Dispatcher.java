package io.courier.server.handler;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.courier.protocol.ErrorCode;
import io.courier.protocol.Json;
import io.courier.protocol.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes a request to the handler for its type and turns whatever happens into exactly one reply: the handler's
 * result, {@code unknown_type} with the known types as options, the handler's own {@link RequestException}, or
 * {@code handler_failed}.
 */
public final class Dispatcher {
    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

    private final HandlerRegistry registry;
    private final ArrayNode options;

    public Dispatcher(HandlerRegistry registry) {
        this.registry = registry;
        this.options = Json.NODES.arrayNode();
        registry.types().forEach(options::add);
    }

    public HandlerRegistry registry() {
        return registry;
    }

    /** The one reply to {@code request}. Never throws. */
    public Message dispatch(Message request, Session session) {
        String type = request.type();
        Handler handler = registry.find(type);
        if (handler == null) {
            return unknownType(request);
        }
        Message reply;
        try {
            reply = handler.handle(request, session);
        } catch (RequestException e) {
            return Message.errorReply(request, e.code(), e.getMessage());
        } catch (Exception | StackOverflowError e) {
            log.warn("Handler for '{}' failed on session {}", type, session.id(), e);
            return Message.errorReply(request, ErrorCode.HANDLER_FAILED,
                    "the handler for '" + type + "' failed; the server logged the cause, and your connection "
                            + "stays open");
        }
        return completeReply(request, reply);
    }

    private Message unknownType(Message request) {
        Message error = Message.errorReply(request, ErrorCode.UNKNOWN_TYPE,
                "no handler for type '" + request.type() + "'; the \"options\" field lists the types this server "
                        + "knows");
        ((ObjectNode) error.header().get(Message.ERROR)).set("options", options.deepCopy());
        return error;
    }

    /** A reply always carries the request's type and id and an ok flag, whatever the handler forgot. */
    private static Message completeReply(Message request, Message reply) {
        if (reply == null) {
            return Message.replyTo(request);
        }
        ObjectNode header = reply.header();
        if (!header.has(Message.TYPE)) {
            header.put(Message.TYPE, request.type());
        }
        if (!header.has(Message.ID) && request.id() != null) {
            header.set(Message.ID, request.id());
        }
        if (!header.has(Message.OK)) {
            header.put(Message.OK, true);
        }
        return reply;
    }
}
