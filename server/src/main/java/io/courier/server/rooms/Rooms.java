package io.courier.server.rooms;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.courier.protocol.ErrorCode;
import io.courier.protocol.Json;
import io.courier.protocol.Message;
import io.courier.server.api.RequestException;
import io.courier.server.api.Session;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who is in which room. Confined to the event loop thread: the room handlers are not blocking and close callbacks
 * run on the loop, so plain maps need no locks. A message is pushed to each member with {@link Session#send},
 * which queues it on that member's own connection: a member that does not read fills only its own queue, is paused
 * and finally closed by the server's slow-consumer rule (then it leaves, as any disconnect does), and never holds
 * up the speaker or the other members.
 */
public final class Rooms {
    static final String MESSAGE = "room.message";
    static final String JOINED = "room.joined";
    static final String LEFT = "room.left";
    private static final String WATCHED_KEY = "courier.rooms.watched";

    private final Map<String, Room> rooms = new HashMap<>();
    private final Map<Session, Map<String, String>> memberships = new HashMap<>();
    private final int maxRoomsPerConnection;
    private final int maxMembersPerRoom;
    private final int maxRooms;
    private Thread loopThread;

    Rooms(int maxRoomsPerConnection, int maxMembersPerRoom, int maxRooms) {
        this.maxRoomsPerConnection = maxRoomsPerConnection;
        this.maxMembersPerRoom = maxMembersPerRoom;
        this.maxRooms = maxRooms;
    }

    /** One room's members in the order they joined, with their names. */
    private static final class Room {
        final Map<Session, String> members = new LinkedHashMap<>();
        final Set<String> names = new HashSet<>();
    }

    /** Adds {@code session} to {@code room} as {@code name}; returns the members' names, in joining order. */
    List<String> join(Session session, String room, String name) {
        assert confined();
        String current = memberships.getOrDefault(session, Map.of()).get(room);
        if (current != null && !current.equals(name)) {
            throw RequestException.badRequest("you are already in room \"" + room + "\" as \"" + current
                    + "\"; leave it first to join under another name");
        }
        if (current == null) {
            checkLimits(session, room);
        }
        Room members = rooms.computeIfAbsent(room, r -> new Room());
        if (current == null) {
            if (!session.isOpen()) {
                throw RequestException.badRequest("this connection is closing; join from a new one");
            }
            if (members.names.contains(name)) {
                throw new RequestException(ErrorCode.CONFLICT, "the name \"" + name + "\" is taken in room \""
                        + room + "\"; choose another").with("room", room).with("name", name);
            }
            watch(session);
            members.members.put(session, name);
            members.names.add(name);
            memberships.computeIfAbsent(session, s -> new HashMap<>()).put(room, name);
            broadcast(members, session, Message.of(JOINED).with("room", room).with("name", name));
        }
        return new ArrayList<>(members.members.values());
    }

    /** What one client can make the rooms hold is bounded: rooms per connection, members per room, rooms. */
    private void checkLimits(Session session, String room) {
        int joined = memberships.getOrDefault(session, Map.of()).size();
        if (joined >= maxRoomsPerConnection) {
            throw limit("this connection is in " + joined + " rooms, the most max-rooms-per-connection allows; "
                    + "leave one first", "max-rooms-per-connection", maxRoomsPerConnection, room);
        }
        Room existing = rooms.get(room);
        if (existing == null && rooms.size() >= maxRooms) {
            throw limit("the server has " + rooms.size() + " rooms, the most max-rooms allows; join an existing "
                    + "room", "max-rooms", maxRooms, room);
        }
        if (existing != null && existing.members.size() >= maxMembersPerRoom) {
            throw limit("room \"" + room + "\" has " + existing.members.size() + " members, the most "
                    + "max-members-per-room allows", "max-members-per-room", maxMembersPerRoom, room);
        }
    }

    private static RequestException limit(String sentence, String option, int max, String room) {
        return new RequestException(ErrorCode.LIMIT_EXCEEDED, sentence).with("limit", option).with("max", max)
                .with("room", room);
    }

    /** Takes {@code session} out of {@code room}; the others get {@code room.left}. */
    void leave(Session session, String room) {
        assert confined();
        if (!remove(session, room, "left")) {
            throw notMember(room);
        }
    }

    /**
     * Sends {@code room.message} to every member, the speaker included (so everyone sees the same order): the
     * request's own fields except the reserved ones, with {@code room}, {@code text} and the speaker's
     * {@code name}, and the request's body. Returns how many members it was sent to.
     */
    int say(Session session, String room, Message request) {
        assert confined();
        String name = memberships.getOrDefault(session, Map.of()).get(room);
        if (name == null) {
            throw notMember(room);
        }
        ObjectNode header = Json.NODES.objectNode();
        header.put(Message.TYPE, MESSAGE);
        request.header().properties().forEach(field -> {
            if (!isReserved(field.getKey())) {
                header.set(field.getKey(), field.getValue());
            }
        });
        header.put("room", room);
        header.put("name", name);
        return broadcast(rooms.get(room), null, new Message(header, request.body()));
    }

    private static boolean isReserved(String field) {
        return field.equals(Message.TYPE) || field.equals(Message.ID) || field.equals(Message.OK)
                || field.equals(Message.ERROR) || field.equals(Message.BODY_BASE64);
    }

    private boolean remove(Session session, String room, String reason) {
        Map<String, String> joined = memberships.get(session);
        String name = joined == null ? null : joined.remove(room);
        if (name == null) {
            return false;
        }
        if (joined.isEmpty()) {
            memberships.remove(session);
        }
        Room members = rooms.get(room);
        members.members.remove(session);
        members.names.remove(name);
        if (members.members.isEmpty()) {
            rooms.remove(room);
        } else {
            broadcast(members, null, Message.of(LEFT).with("room", room).with("name", name).with("reason", reason));
        }
        return true;
    }

    /**
     * Sends {@code event} to each member except {@code skip}; each framing encodes it once for all of them.
     * Iterates over a copy: a send can close a slow member
     * on the spot, and its close callback takes it out of this very room.
     */
    private int broadcast(Room room, Session skip, Message event) {
        event.shared(); // encoded once per framing, not once per member
        int sent = 0;
        for (Session member : new ArrayList<>(room.members.keySet())) {
            if (member != skip && room.members.containsKey(member)) {
                member.send(event);
                sent++;
            }
        }
        return sent;
    }

    /** The first time a session joins a room, arrange for it to leave every room when it disconnects. */
    private void watch(Session session) {
        if (session.attribute(WATCHED_KEY) == null) {
            session.attribute(WATCHED_KEY, Boolean.TRUE);
            session.onClose(() -> disconnected(session));
        }
    }

    private void disconnected(Session session) {
        assert confined();
        Map<String, String> joined = memberships.get(session);
        if (joined != null) {
            for (String room : new ArrayList<>(joined.keySet())) {
                remove(session, room, "disconnected");
            }
        }
    }

    private static RequestException notMember(String room) {
        return RequestException.badRequest("you are not in room \"" + room + "\"; join it first with room.join")
                .with("room", room);
    }

    /** True on the one thread that owns the rooms (the event loop); checked with assertions. */
    private boolean confined() {
        if (loopThread == null) {
            loopThread = Thread.currentThread();
        }
        return loopThread == Thread.currentThread();
    }
}
