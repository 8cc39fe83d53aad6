package io.courier.server.cluster;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.courier.protocol.ErrorCode;
import io.courier.protocol.Message;
import io.courier.server.api.RequestException;
import io.courier.server.api.Session;
import io.courier.server.config.ClientLimits;
import io.courier.server.config.RoomsConfig;
import io.courier.server.dispatch.DeferredHandler;
import io.courier.server.loop.EventLoop;
import io.courier.server.metrics.ServerStats;
import io.courier.server.rooms.Epochs;
import io.courier.server.rooms.LocalRoom;
import io.courier.server.rooms.Member;
import io.courier.server.rooms.RoomEvents;
import io.courier.server.rooms.RoomService;
import io.courier.server.rooms.Rooms;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Rooms shared by every instance that uses one Redis ({@code --cluster}). Every {@code room.say} goes through one
 * Redis script that numbers it, keeps it in the room's history and publishes it; each instance delivers to its own
 * members only what comes back on the room's channel, its own messages included, so every member on every
 * instance sees Redis's one order. Names are claimed in Redis (unique per room across the cluster); joins and
 * leaves are published on the room's channel too, and each instance applies the other instances' ones (its own
 * it delivers itself, at once).
 *
 * <p>One RESP3 connection carries both the commands and the subscription, so a reply and the pushes around it
 * arrive in the order Redis executed them: the members a join reply lists and the events after it never overlap.
 *
 * <p>While Redis is unreachable the rooms go on locally (see {@link RoomSync} for how they heal): joins are
 * checked against the members last known, messages reach this instance's members only, numbered in an epoch of
 * their own. A message in flight when the link drops gets an error saying it may or may not have been delivered;
 * after the link is back, the messages missed meanwhile are replayed from the history, each once.
 */
public final class ClusterRoomService implements RoomService, RedisLink.Listener {
    private static final Logger log = LoggerFactory.getLogger(ClusterRoomService.class);

    private final Rooms rooms;
    private final RoomsConfig config;
    private final String instanceId = Epochs.next();
    private final RedisLink link;
    private final RoomSync sync;
    private ServerStats stats;

    public ClusterRoomService(ClientLimits limits, RoomsConfig config) {
        this.rooms = new Rooms(limits.maxRoomsPerConnection(), limits.maxMembersPerRoom(), limits.maxRooms(),
                this::disconnected);
        this.config = config;
        this.link = new RedisLink(config.cluster(), instanceId, config.clusterTimeout());
        this.sync = new RoomSync(rooms, link, instanceId);
    }

    /** This instance's id in the cluster (in {@code stats} and the logs). */
    public String instanceId() {
        return instanceId;
    }

    /** {@code connecting}, {@code connected} or {@code disconnected}: for readiness checks. Loop thread. */
    public String linkState() {
        return link.state().wireName;
    }

    @Override
    public void start(EventLoop loop, ServerStats serverStats) {
        this.stats = serverStats;
        link.start(loop, this);
    }

    @Override
    public void stop(Runnable then) {
        link.stop(then);
    }

    @Override
    public void join(Session session, Join join, DeferredHandler.Reply reply) {
        Member existing = rooms.existing(session, join.room(), join.name());
        if (existing != null) {
            LocalRoom room = existing.room();
            reply.send(RoomEvents.joinReply(join.request(), join.room(), join.name(), room.names(), room.seq(),
                    room.epoch(), null));
            return;
        }
        if (!link.isUp()) {
            joinOffline(session, join, reply);
            return;
        }
        boolean firstHere = rooms.room(join.room()) == null;
        Member member = rooms.add(session, join.room(), join.name(), false);
        if (firstHere) {
            // Before the join runs, on the same connection: no event after it can be missed.
            link.subscribe(ClusterEvent.channel(join.room()));
        }
        link.run(Script.JOIN, value -> joined(member, join, reply, value), join.room(), join.name(), instanceId,
                Epochs.next(), rooms.maxMembersPerRoom(), join.since() == null ? "" : join.since(),
                join.epoch() == null ? "" : join.epoch());
    }

    private void joined(Member member, Join join, DeferredHandler.Reply reply, Object value) {
        if (value == RespError.LINK_LOST) {
            drop(member);
            try {
                joinOffline(member.session(), join, reply);
            } catch (RequestException e) {
                reply.fail(e);
            }
            return;
        }
        List<Object> result = Resp.list(value instanceof RespError ? null : value);
        String outcome = result.isEmpty() ? "error" : Resp.text(result.get(0));
        if (!outcome.equals("ok")) {
            drop(member);
            reply.fail(outcome.equals("conflict") ? RoomEvents.nameTaken(join.room(), join.name())
                    : outcome.equals("full") ? RoomEvents.roomFull(join.room(), (int) Resp.number(result.get(1)),
                    rooms.maxMembersPerRoom())
                    : failed("room.join", value));
            return;
        }
        RoomSync.Position position = RoomSync.Position.of(result);
        LocalRoom room = member.room();
        if (!member.isGone()) {
            room.replaceView(position.names());
            room.position(position.epoch(), position.seq());
            room.synced(true);
            member.activate();
            rooms.deliver(room, RoomEvents.joined(join.room(), join.name()), member);
        }
        reply.send(RoomEvents.joinReply(join.request(), join.room(), join.name(), position.names(), position.seq(),
                position.epoch(), join.since() == null ? null : position.recovered()));
        if (!member.isGone() && position.recovered()) {
            rooms.replay(member, position.replay());
        }
    }

    /** Redis is out of reach: the join is checked against the members last known and serves this instance. */
    private void joinOffline(Session session, Join join, DeferredHandler.Reply reply) {
        Member member = rooms.add(session, join.room(), join.name(), true);
        member.joinedOffline(true);
        LocalRoom room = member.room();
        if (room.epoch() == null) {
            room.position(Epochs.next(), 0);
        }
        rooms.deliver(room, RoomEvents.joined(join.room(), join.name()), member);
        // Nothing can be recovered without the history, which is in Redis.
        reply.send(RoomEvents.joinReply(join.request(), join.room(), join.name(), room.names(), room.seq(),
                room.epoch(), join.since() == null ? null : false));
    }

    @Override
    public void say(Session session, String room, Message request, DeferredHandler.Reply reply) {
        Member member = rooms.member(session, room);
        if (member == null) {
            throw RoomEvents.notMember(room);
        }
        ObjectNode header = RoomEvents.messageHeader(request, room, member.name());
        if (!link.isUp()) {
            LocalRoom local = member.room();
            long seq = local.nextOfflineSeq();
            Message event = RoomEvents.message(header, seq, local.offlineEpoch(), request.body());
            reply.send(RoomEvents.sayReply(request, room, rooms.deliver(local, event, (Member) null)));
            return;
        }
        link.run(Script.SAY, value -> said(request, room, reply, value), room, member.name(), instanceId,
                Epochs.next(), config.history(), ClusterEvent.encodeMessage(header, request.body()));
    }

    private void said(Message request, String room, DeferredHandler.Reply reply, Object value) {
        if (value == RespError.LINK_LOST) {
            reply.fail(new RequestException(ErrorCode.BUSY, "the link to the cluster's Redis dropped while this "
                    + "message was on its way: the room may or may not have it (if it did, it reaches you too as a "
                    + "room.message); say it again only if it does not").with("room", room));
            return;
        }
        List<Object> result = Resp.list(value instanceof RespError ? null : value);
        String outcome = result.isEmpty() ? "error" : Resp.text(result.get(0));
        if (outcome.equals("gone")) {
            reply.fail(RoomEvents.notMember(room));
        } else if (!outcome.equals("ok")) {
            reply.fail(failed("room.say", value));
        } else {
            reply.send(RoomEvents.sayReply(request, room, (int) Resp.number(result.get(2))));
        }
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

    /** This instance's members hear of a leave at once; the other instances through the room's channel. */
    private void remove(Member member, String reason) {
        boolean wasActive = member.isActive();
        LocalRoom room = member.room();
        boolean last = rooms.remove(member);
        if (link.isUp()) {
            link.run(Script.LEAVE, value -> { }, room.name(), member.name(), instanceId, reason);
            if (last) {
                link.unsubscribe(ClusterEvent.channel(room.name()));
            }
        }
        if (!last && wasActive) {
            rooms.deliver(room, RoomEvents.left(room.name(), member.name(), reason), (Member) null);
        }
    }

    /** A member whose join failed: never announced, so nobody hears of it. */
    private void drop(Member member) {
        if (rooms.remove(member) && link.isUp()) {
            link.unsubscribe(ClusterEvent.channel(member.room().name()));
        }
    }

    private static IllegalStateException failed(String what, Object value) {
        return new IllegalStateException(what + " got an unexpected answer from Redis: " + value);
    }

    @Override
    public void push(RespPush push) {
        if (!push.kind().equals("message") || push.items().size() < 3) {
            return; // subscribe and unsubscribe confirmations
        }
        String channel = Resp.text(push.items().get(1));
        if (!channel.startsWith(ClusterEvent.CHANNEL_PREFIX)) {
            return;
        }
        LocalRoom room = rooms.room(channel.substring(ClusterEvent.CHANNEL_PREFIX.length()));
        if (room == null || !room.synced()) {
            return; // the reply that makes the room synced lists everything that happened before
        }
        ClusterEvent event;
        try {
            event = ClusterEvent.decode((byte[]) push.items().get(2));
        } catch (RuntimeException e) {
            log.warn("Ignoring an event on {} that is not Courier's: {}", channel, e.getMessage());
            return;
        }
        sync.apply(room, event);
    }

    @Override
    public void up() {
        sync.healAll(true);
    }

    @Override
    public void reaped() {
        sync.healAll(false);
    }

    @Override
    public void down() {
        // The rooms go on as they are known; RoomSync corrects them when the link is back.
    }

    @Override
    public void stateChanged(RedisLink.State state) {
        if (stats != null) {
            stats.clusterState(instanceId, state.wireName);
        }
    }
}
