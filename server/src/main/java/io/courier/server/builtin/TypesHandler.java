package io.courier.server.builtin;

import io.courier.server.api.Handler;
import io.courier.server.api.Session;
import io.courier.server.dispatch.HandlerRegistry;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.courier.protocol.Json;
import io.courier.protocol.Message;

/** {@code types}: lists every type this server handles, with a description, sorted by type. */
final class TypesHandler implements Handler {
    private final HandlerRegistry registry;

    TypesHandler(HandlerRegistry registry) {
        this.registry = registry;
    }

    @Override
    public String type() {
        return "types";
    }

    @Override
    public String description() {
        return "Lists every message type this server handles, with a description.";
    }

    @Override
    public Message handle(Message request, Session session) {
        ArrayNode types = Json.NODES.arrayNode();
        for (Handler handler : registry.handlers()) {
            types.addObject().put("type", handler.type()).put("description", handler.description());
        }
        return Message.replyTo(request).with("types", types);
    }
}
