package io.courier.server.rooms;

import io.courier.server.api.Handler;

import java.util.List;

/** The room.* types over one {@link RoomService}. */
public final class RoomHandlers {
    private RoomHandlers() {
    }

    public static List<Handler> create(RoomService rooms) {
        return List.of(new RoomJoinHandler(rooms), new RoomLeaveHandler(rooms), new RoomSayHandler(rooms));
    }
}
