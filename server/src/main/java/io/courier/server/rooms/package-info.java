/**
 * Rooms: {@code room.join}, {@code room.say}, {@code room.leave} and the {@code room.*} events, with history
 * ({@code seq}, {@code epoch}, resuming with {@code since}). {@link io.courier.server.rooms.Rooms} holds this
 * process's members and is the one place events reach them; a {@link io.courier.server.rooms.RoomService} does
 * the rest, in this process ({@link io.courier.server.rooms.LocalRoomService}) or across a cluster (the cluster
 * package). Loop-confined, non-blocking handlers. Depends on api, config, dispatch, loop and metrics.
 */
package io.courier.server.rooms;
