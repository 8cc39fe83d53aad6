package io.courier.server.rooms;

import io.courier.protocol.Message;
import io.courier.server.api.Handler;
import io.courier.server.api.Session;

/** {@code room.leave}: leaves a room; the members left get {@code room.left}. Runs on the event loop. */
final class RoomLeaveHandler implements Handler {
    private final RoomService rooms;

    RoomLeaveHandler(RoomService rooms) {
        this.rooms = rooms;
    }

    @Override
    public String type() {
        return "room.leave";
    }

    @Override
    public String description() {
        return "Leaves a room (room); disconnecting leaves every room too.";
    }

    @Override
    public Message handle(Message request, Session session) {
        String room = RoomNames.room(request);
        rooms.leave(session, room);
        return Message.replyTo(request).with("room", room);
    }
}
