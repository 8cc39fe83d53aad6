package io.courier.server.rooms;

import io.courier.server.api.Handler;

import java.util.List;

/** The room.* types, sharing one set of rooms. */
public final class RoomHandlers {
    private RoomHandlers() {
    }

    /** The handlers over one set of rooms, bounded as {@code max-rooms-per-connection} and the others say. */
    public static List<Handler> create(int maxRoomsPerConnection, int maxMembersPerRoom, int maxRooms) {
        Rooms rooms = new Rooms(maxRoomsPerConnection, maxMembersPerRoom, maxRooms);
        return List.of(new RoomJoinHandler(rooms), new RoomLeaveHandler(rooms), new RoomSayHandler(rooms));
    }
}
