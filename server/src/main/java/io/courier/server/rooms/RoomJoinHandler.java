package io.courier.server.rooms;

import io.courier.protocol.Message;
import io.courier.server.api.Fields;
import io.courier.server.api.RequestException;
import io.courier.server.api.Session;
import io.courier.server.dispatch.DeferredHandler;

/**
 * {@code room.join}: enters a room under a name; the reply lists the members, and with {@code since} and
 * {@code epoch} says whether the messages said since then follow. Runs on the event loop.
 */
final class RoomJoinHandler implements DeferredHandler {
    private final RoomService rooms;

    RoomJoinHandler(RoomService rooms) {
        this.rooms = rooms;
    }

    @Override
    public String type() {
        return "room.join";
    }

    @Override
    public String description() {
        return "Joins a room (room, name; since and epoch to resume): you receive every room.message said there "
                + "until you leave or disconnect.";
    }

    @Override
    public void handle(Message request, Session session, Reply reply) {
        String room = RoomNames.room(request);
        String name = RoomNames.member(request);
        if (!session.isConnection()) {
            throw RequestException.badRequest("rooms need a connection (TCP or a Unix socket): over UDP the server "
                    + "cannot tell when a member has gone");
        }
        long since = Fields.wholeNumber(request, "since", 0, -1);
        // Resuming needs both: a seq means nothing without the epoch it was counted in.
        String epoch = since < 0 ? null : Fields.string(request, "epoch");
        rooms.join(session, new RoomService.Join(request, room, name, since < 0 ? null : since, epoch), reply);
    }
}
