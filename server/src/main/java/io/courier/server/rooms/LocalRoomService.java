package io.courier.server.rooms;

import io.courier.protocol.Message;
import io.courier.server.api.Session;
import io.courier.server.config.ClientLimits;
import io.courier.server.config.RoomsConfig;
import io.courier.server.dispatch.DeferredHandler;

import java.util.HashMap;
import java.util.Map;

/** Rooms of this process only: every reply is immediate, the history is in memory ({@link RoomHistory}). */
public final class LocalRoomService implements RoomService {
    private final Rooms rooms;
    private final RoomHistory history;
    private final Map<LocalRoom, RoomHistory.Log> logs = new HashMap<>();

    public LocalRoomService(ClientLimits limits, RoomsConfig config) {
        this.rooms = new Rooms(limits.maxRoomsPerConnection(), limits.maxMembersPerRoom(), limits.maxRooms(),
                this::disconnected);
        this.history = new RoomHistory(config.history(), config.historyBytes());
    }

    @Override
    public void join(Session session, Join join, DeferredHandler.Reply reply) {
        Member member = rooms.existing(session, join.room(), join.name());
        boolean repeat = member != null;
        if (!repeat) {
            member = rooms.add(session, join.room(), join.name(), true);
            logs.put(member.room, history.open(join.room()));
            rooms.deliver(member.room, RoomEvents.joined(join.room(), join.name()), member);
        }
        RoomHistory.Log log = logs.get(member.room);
        // Joining again under the same name replays nothing: this connection has had every message since.
        RoomHistory.Recovery recovery = join.since() == null || repeat ? null
                : history.recover(log, join.since(), join.epoch());
        reply.send(RoomEvents.joinReply(join.request(), join.room(), join.name(), member.room.names(), log.seq,
                log.epoch, recovery == null ? null : recovery.recovered()));
        if (recovery != null) {
            rooms.replay(member, recovery.replay());
        }
    }

    @Override
    public void say(Session session, String room, Message request, DeferredHandler.Reply reply) {
        Member member = rooms.member(session, room);
        if (member == null) {
            throw RoomEvents.notMember(room);
        }
        RoomHistory.Log log = logs.get(member.room);
        long seq = history.next(log);
        Message event = RoomEvents.messageEvent(request, room, member.name, seq, log.epoch, request.body());
        // A message of its own for the history (the same header bytes): the live one keeps its per-framing
        // encodings, the kept one not.
        history.keep(log, seq, event.withBody(event.body()));
        member.room.position(log.epoch, seq);
        reply.send(RoomEvents.sayReply(request, room, rooms.deliver(member.room, event, (Member) null)));
    }

    @Override
    public void leave(Session session, String room) {
        Member member = rooms.member(session, room);
        if (member == null) {
            throw RoomEvents.notMember(room);
        }
        remove(member, "left");
    }

    private void disconnected(Session session) {
        for (Member member : rooms.memberships(session)) {
            remove(member, "disconnected");
        }
    }

    private void remove(Member member, String reason) {
        if (rooms.remove(member)) {
            history.release(logs.remove(member.room));
        } else {
            rooms.deliver(member.room, RoomEvents.left(member.room.name, member.name, reason), (Member) null);
        }
    }
}
