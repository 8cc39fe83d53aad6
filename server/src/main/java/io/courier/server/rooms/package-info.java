/**
 * Rooms: {@code room.join}, {@code room.say}, {@code room.leave} and the {@code room.*} events. Loop-confined,
 * non-blocking handlers. Depends on api.
 */
package io.courier.server.rooms;
