package io.courier.server.cluster;

import io.courier.protocol.Message;
import io.courier.server.rooms.Epochs;
import io.courier.server.rooms.LocalRoom;
import io.courier.server.rooms.Member;
import io.courier.server.rooms.RoomEvents;
import io.courier.server.rooms.Rooms;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Keeps this instance's rooms in step with Redis: applies the other instances' events from a room's channel, and
 * heals every room when the link comes back (or the others took this instance for dead).
 *
 * <p>Healing, per room, in one script ({@code sync.lua}): this instance's names there become exactly its members
 * now (those who left during the outage leave, those who joined are announced; a name another instance took
 * meanwhile is a conflict, and that member gets {@code room.left} with reason {@code conflict}); the members it
 * has are told of the others' joins and leaves they missed ({@code room.joined}, {@code room.left} reason
 * {@code disconnected}); and the messages said elsewhere meanwhile are replayed from the history to the members
 * that were there before the outage, if the history still reaches back and the epoch is the same. Until a room's
 * reply comes, events on its channel are ignored: the reply covers them.
 */
final class RoomSync {
    private static final Logger log = LoggerFactory.getLogger(RoomSync.class);

    private final Rooms rooms;
    private final RedisLink link;
    private final String instanceId;

    RoomSync(Rooms rooms, RedisLink link, String instanceId) {
        this.rooms = rooms;
        this.link = link;
        this.instanceId = instanceId;
    }

    /** A room's state as a join or sync script returned it. */
    record Position(List<String> names, long seq, String epoch, boolean recovered, List<Message> replay) {
        static Position of(List<Object> result) {
            List<String> names = new ArrayList<>();
            Resp.list(result.get(1)).forEach(name -> names.add(Resp.text(name)));
            List<Message> replay = new ArrayList<>();
            Resp.list(result.get(5)).forEach(p -> replay.add(ClusterEvent.decode((byte[]) p).message()));
            return new Position(names, Resp.number(result.get(2)), Resp.text(result.get(3)),
                    Resp.number(result.get(4)) == 1, replay);
        }
    }

    /** One event from a room's channel; this instance's own joins and leaves it has delivered already. */
    void apply(LocalRoom room, ClusterEvent event) {
        switch (event.kind()) {
            case 'm':
                if (event.epoch().equals(room.epoch()) && event.seq() <= room.seq()) {
                    return; // delivered already (replayed after an outage)
                }
                room.position(event.epoch(), event.seq());
                rooms.deliver(room, event.message(), (Member) null);
                break;
            case 'j':
                if (!instanceId.equals(event.instance()) && room.remoteJoined(event.name())) {
                    rooms.deliver(room, RoomEvents.joined(room.name(), event.name()), (Member) null);
                }
                break;
            case 'l':
                // Our own members' leaves were delivered when they left; one removed by a reaper while this
                // instance was taken for dead is announced again by the heal the next heartbeat starts.
                if (!instanceId.equals(event.instance()) && room.remoteLeft(event.name())) {
                    rooms.deliver(room, RoomEvents.left(room.name(), event.name(), event.reason()), (Member) null);
                }
                break;
            default:
                break;
        }
    }

    /** Re-announces every room's members; {@code resubscribe} on a new connection, which has no subscriptions. */
    void healAll(boolean resubscribe) {
        List<LocalRoom> all = new ArrayList<>();
        rooms.all().forEach(all::add);
        List<Object> prune = new ArrayList<>(List.of(instanceId));
        all.forEach(room -> prune.add(room.name()));
        link.run(Script.PRUNE, value -> { }, prune.toArray());
        for (LocalRoom room : all) {
            if (resubscribe) {
                link.subscribe(ClusterEvent.channel(room.name()));
            }
            room.synced(false);
            List<Object> args = new ArrayList<>(List.of(room.name(), instanceId, Epochs.next(),
                    room.epoch() == null ? "" : room.seq(), room.epoch() == null ? "" : room.epoch()));
            room.locals().forEach(member -> args.add(member.name()));
            link.run(Script.SYNC, value -> synced(room, value), args.toArray());
        }
        if (!all.isEmpty()) {
            log.info("Announcing this instance's members of {} room(s) to the cluster again", all.size());
        }
    }

    private void synced(LocalRoom room, Object value) {
        if (value instanceof RespError && value != RespError.LINK_LOST) {
            log.error("Room {}: Redis refused to re-announce this instance's members: {}", room.name(),
                    ((RespError) value).message());
        }
        if (!(value instanceof List) || rooms.room(room.name()) != room) {
            return; // the link dropped again (the next heal redoes it), or everyone here left meanwhile
        }
        List<Object> result = Resp.list(value);
        for (Object conflict : Resp.list(result.get(6))) {
            Member member = room.local(Resp.text(conflict));
            if (member != null && !member.isGone()) {
                log.info("Room {}: during the outage another instance's member took the name {}; this instance's "
                        + "member leaves with reason conflict", room.name(), member.name());
                boolean last = rooms.remove(member);
                member.session().send(RoomEvents.left(room.name(), member.name(), "conflict"));
                if (last) {
                    link.unsubscribe(ClusterEvent.channel(room.name()));
                    return;
                }
            }
        }
        Position position = Position.of(result);
        Set<String> before = room.remoteNames();
        room.replaceView(position.names());
        Set<String> after = room.remoteNames();
        for (String name : before) {
            if (!after.contains(name)) {
                rooms.deliver(room, RoomEvents.left(room.name(), name, "disconnected"), (Member) null);
            }
        }
        for (String name : after) {
            if (!before.contains(name)) {
                rooms.deliver(room, RoomEvents.joined(room.name(), name), (Member) null);
            }
        }
        if (position.recovered()) {
            for (Message missed : position.replay()) {
                long seq = missed.header().path("seq").asLong();
                if (seq > room.seq() || !position.epoch().equals(room.epoch())) {
                    rooms.deliver(room, missed, member -> !member.joinedOffline());
                }
            }
        }
        room.position(position.epoch(), position.seq());
        room.synced(true);
        room.endOffline();
        room.locals().forEach(member -> member.joinedOffline(false));
    }
}
