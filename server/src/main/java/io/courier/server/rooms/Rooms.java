package io.courier.server.rooms;

import io.courier.protocol.Message;
import io.courier.server.api.RequestException;
import io.courier.server.api.Session;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * This instance's members: which session is in which room under which name, and the one place events reach them.
 * Confined to the event loop thread (handlers, close callbacks and the cluster link all run there), so plain maps
 * need no locks. An event is pushed to each member with {@link Session#send}, which queues it on that member's
 * own connection: a member that does not read fills only its own queue, is paused and finally closed by the
 * server's slow-consumer rule (then it leaves, as any disconnect does), and never holds up anyone else.
 */
public final class Rooms {
    private static final String WATCHED_KEY = "courier.rooms.watched";

    private final Map<String, LocalRoom> rooms = new HashMap<>();
    private final Map<Session, Map<String, Member>> memberships = new HashMap<>();
    private final int maxRoomsPerConnection;
    private final int maxMembersPerRoom;
    private final int maxRooms;
    private final Consumer<Session> disconnected;

    /** {@code disconnected} runs on the loop when a session that joined a room ends. */
    public Rooms(int maxRoomsPerConnection, int maxMembersPerRoom, int maxRooms, Consumer<Session> disconnected) {
        this.maxRoomsPerConnection = maxRoomsPerConnection;
        this.maxMembersPerRoom = maxMembersPerRoom;
        this.maxRooms = maxRooms;
        this.disconnected = disconnected;
    }

    public int maxMembersPerRoom() {
        return maxMembersPerRoom;
    }

    public LocalRoom room(String room) {
        return rooms.get(room);
    }

    public Iterable<LocalRoom> all() {
        return new ArrayList<>(rooms.values());
    }

    public Member member(Session session, String room) {
        return memberships.getOrDefault(session, Map.of()).get(room);
    }

    /** The session's rooms, for a disconnect. */
    public List<Member> memberships(Session session) {
        return new ArrayList<>(memberships.getOrDefault(session, Map.of()).values());
    }

    /** The membership a join under {@code name} repeats (harmless), or null for a new one; another name is wrong. */
    public Member existing(Session session, String room, String name) {
        Member current = member(session, room);
        if (current != null && !current.name.equals(name)) {
            throw RequestException.badRequest("you are already in room \"" + room + "\" as \"" + current.name
                    + "\"; leave it first to join under another name");
        }
        return current;
    }

    /**
     * Adds a member after the checks every mode shares: an open connection, the per-client bounds, a name nobody
     * in the room (as this instance knows it) has. Inactive members get no events until activated.
     */
    public Member add(Session session, String room, String name, boolean active) {
        if (!session.isOpen()) {
            throw RequestException.badRequest("this connection is closing; join from a new one");
        }
        checkLimits(session, room);
        LocalRoom local = rooms.get(room);
        if (local != null && local.hasName(name)) {
            throw RoomEvents.nameTaken(room, name);
        }
        if (local == null) {
            local = new LocalRoom(room);
            rooms.put(room, local);
        }
        watch(session);
        Member member = new Member(session, name, local, active);
        local.addLocal(member);
        memberships.computeIfAbsent(session, s -> new HashMap<>()).put(room, member);
        return member;
    }

    /** What one client can make the rooms hold is bounded: rooms per connection, members per room, rooms. */
    private void checkLimits(Session session, String room) {
        int joined = memberships.getOrDefault(session, Map.of()).size();
        if (joined >= maxRoomsPerConnection) {
            throw RoomEvents.limit("this connection is in " + joined + " rooms, the most max-rooms-per-connection "
                    + "allows; leave one first", "max-rooms-per-connection", maxRoomsPerConnection, room);
        }
        LocalRoom existing = rooms.get(room);
        if (existing == null && rooms.size() >= maxRooms) {
            throw RoomEvents.limit("the server has " + rooms.size() + " rooms, the most max-rooms allows; join an "
                    + "existing room", "max-rooms", maxRooms, room);
        }
        if (existing != null && existing.size() >= maxMembersPerRoom) {
            throw RoomEvents.roomFull(room, existing.size(), maxMembersPerRoom);
        }
    }

    /** Takes the member out; returns true when its room has no member of this instance any more (and is gone). */
    public boolean remove(Member member) {
        if (member.gone) {
            return false;
        }
        member.gone = true;
        Map<String, Member> joined = memberships.get(member.session);
        if (joined != null) {
            joined.remove(member.room.name, member);
            if (joined.isEmpty()) {
                memberships.remove(member.session);
            }
        }
        member.room.removeLocal(member);
        if (member.room.locals.isEmpty()) {
            rooms.remove(member.room.name, member.room);
            return true;
        }
        return false;
    }

    /**
     * THE local delivery: sends {@code event} to each active member of {@code room} that {@code to} accepts;
     * each framing encodes it once for all of them. Every room event reaches members through here. Iterates over a
     * snapshot: a send can close a slow member on the spot, and its close callback takes it out of this very room.
     * Returns how many it was sent to.
     */
    public int deliver(LocalRoom room, Message event, Predicate<Member> to) {
        event.shared(); // encoded once per framing, not once per member
        int sent = 0;
        for (Member member : room.snapshot()) {
            if (member.active && !member.gone && to.test(member)) {
                member.session.send(event);
                sent++;
            }
        }
        return sent;
    }

    /** {@link #deliver(LocalRoom, Message, Predicate)} to every active member but {@code skip} (may be null). */
    public int deliver(LocalRoom room, Message event, Member skip) {
        return deliver(room, event, member -> member != skip);
    }

    /** Replayed history, to the one member that asked for it with {@code since}, in order. */
    public void replay(Member member, List<Message> events) {
        for (Message event : events) {
            if (member.gone) {
                return;
            }
            member.session.send(event);
        }
    }

    /** The first time a session joins a room, arrange for it to leave every room when it disconnects. */
    private void watch(Session session) {
        if (session.attribute(WATCHED_KEY) == null) {
            session.attribute(WATCHED_KEY, Boolean.TRUE);
            session.onClose(() -> disconnected.accept(session));
        }
    }
}
