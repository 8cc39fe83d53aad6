package io.courier.server.rooms;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.courier.protocol.Json;
import io.courier.protocol.Message;
import io.courier.server.api.Handler;
import io.courier.server.api.RequestException;
import io.courier.server.api.Session;

/** {@code room.join}: enters a room under a name; the reply lists the members. Runs on the event loop. */
final class RoomJoinHandler implements Handler {
    private final Rooms rooms;

    RoomJoinHandler(Rooms rooms) {
        this.rooms = rooms;
    }

    @Override
    public String type() {
        return "room.join";
    }

    @Override
    public String description() {
        return "Joins a room (room, name): you receive every room.message said there until you leave or disconnect.";
    }

    @Override
    public Message handle(Message request, Session session) {
        String room = RoomNames.room(request);
        String name = RoomNames.member(request);
        if (!session.isConnection()) {
            throw RequestException.badRequest("rooms need a connection (TCP or a Unix socket): over UDP the server "
                    + "cannot tell when a member has gone");
        }
        ArrayNode members = Json.NODES.arrayNode();
        rooms.join(session, room, name).forEach(members::add);
        return Message.replyTo(request).with("room", room).with("name", name).with("members", members);
    }
}
