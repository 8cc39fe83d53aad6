package io.courier.server.rooms;

import io.courier.protocol.Message;
import io.courier.server.api.Session;
import io.courier.server.dispatch.DeferredHandler;
import io.courier.server.loop.EventLoop;
import io.courier.server.metrics.ServerStats;

/**
 * What the room types do, in one process ({@link LocalRoomService}) or across every instance that shares a Redis
 * (the cluster package). Loop thread only. A join and a say may reply later (after Redis answered); a leave
 * replies at once.
 */
public interface RoomService {
    /** A {@code room.join}: the room, the name, and where to resume from ({@code since} null: not asked). */
    record Join(Message request, String room, String name, Long since, String epoch) {
    }

    void join(Session session, Join join, DeferredHandler.Reply reply);

    void say(Session session, String room, Message request, DeferredHandler.Reply reply);

    void leave(Session session, String room);

    /** The server's loop is running: connect what needs connecting. */
    default void start(EventLoop loop, ServerStats stats) {
    }

    /** The server is stopping and its members have gone: tidy up, then run {@code then} (on the loop). */
    default void stop(Runnable then) {
        then.run();
    }
}
