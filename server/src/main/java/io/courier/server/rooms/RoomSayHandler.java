package io.courier.server.rooms;

import io.courier.protocol.Message;
import io.courier.server.api.Fields;
import io.courier.server.api.Session;
import io.courier.server.dispatch.DeferredHandler;

/**
 * {@code room.say}: sends {@code text} (plus any other fields and a body) to every member of a room the sender
 * has joined, as {@code room.message} events. Runs on the event loop: it only queues the events (or, in cluster
 * mode, the command to Redis).
 */
final class RoomSayHandler implements DeferredHandler {
    private final RoomService rooms;

    RoomSayHandler(RoomService rooms) {
        this.rooms = rooms;
    }

    @Override
    public String type() {
        return "room.say";
    }

    @Override
    public String description() {
        return "Says text (and any other fields, and a body) to a room you joined (room, text): every member gets a "
                + "room.message.";
    }

    @Override
    public void handle(Message request, Session session, Reply reply) {
        String room = RoomNames.room(request);
        Fields.string(request, "text");
        rooms.say(session, room, request, reply);
    }
}
