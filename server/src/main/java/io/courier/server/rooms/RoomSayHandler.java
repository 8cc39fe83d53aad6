package io.courier.server.rooms;

import io.courier.protocol.Message;
import io.courier.server.api.Fields;
import io.courier.server.api.Handler;
import io.courier.server.api.Session;

/**
 * {@code room.say}: sends {@code text} (plus any other fields and a body) to every member of a room the sender
 * has joined, as {@code room.message} events. Runs on the event loop: it only queues the events.
 */
final class RoomSayHandler implements Handler {
    private final Rooms rooms;

    RoomSayHandler(Rooms rooms) {
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
    public Message handle(Message request, Session session) {
        String room = RoomNames.room(request);
        Fields.string(request, "text");
        int delivered = rooms.say(session, room, request);
        return Message.replyTo(request).with("room", room).with("delivered", delivered);
    }
}
