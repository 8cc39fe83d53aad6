package io.courier.protocol.client;

import io.courier.protocol.Message;

/**
 * Told of one room's events (PROTOCOL.md, Rooms), on the client's reader thread: do not block in it. Every
 * method does nothing by default, so implement only what you need.
 */
public interface RoomListener {
    /**
     * A member said something: {@code name} is the sender's name in the room, the member itself included (the
     * server sends every member every message, in one order). {@code event} has the other fields and the body.
     */
    default void onMessage(String name, String text, Message event) {
    }

    /** Another member joined. */
    default void onJoined(String name) {
    }

    /** A member left: {@code reason} is {@code left} or {@code disconnected}. */
    default void onLeft(String name, String reason) {
    }
}
