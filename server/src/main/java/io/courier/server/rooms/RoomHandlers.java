package io.courier.server.rooms;

import io.courier.server.api.Handler;

import java.util.List;

/** The room.* types, sharing one set of rooms. */
public final class RoomHandlers {
    private RoomHandlers() {
    }

    public static List<Handler> create() {
        Rooms rooms = new Rooms();
        return List.of(new RoomJoinHandler(rooms), new RoomLeaveHandler(rooms), new RoomSayHandler(rooms));
    }
}
