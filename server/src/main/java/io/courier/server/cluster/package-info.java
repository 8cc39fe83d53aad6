/**
 * Rooms across instances over one Redis ({@code --cluster}): {@link io.courier.server.cluster.ClusterRoomService}
 * implements the rooms' service on Redis, {@link io.courier.server.cluster.RoomSync} keeps this instance's rooms
 * in step (events from the room channels, healing after an outage), {@link io.courier.server.cluster.RedisLink}
 * owns the connection's life (handshake, heartbeat, reaping dead instances, backoff). The Redis client is our own:
 * one RESP3 connection registered on the server's event loop, so nothing blocks and no thread is added. Depends on
 * rooms, dispatch, config, loop, metrics and api.
 */
package io.courier.server.cluster;
