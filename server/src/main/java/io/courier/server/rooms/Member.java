package io.courier.server.rooms;

import io.courier.server.api.Session;

/** One of this instance's sessions in one room, under its name there. Loop-confined. */
public final class Member {
    final Session session;
    final String name;
    final LocalRoom room;
    /** False while a cluster join is in flight: the member gets no events until its reply is sent. */
    boolean active;
    /** Joined while the cluster link was down: missed nothing from before, so the healed gap is not its. */
    boolean joinedOffline;
    /** Left (or disconnected) since; a reply that comes back for it changes nothing. */
    boolean gone;

    Member(Session session, String name, LocalRoom room, boolean active) {
        this.session = session;
        this.name = name;
        this.room = room;
        this.active = active;
    }

    public Session session() {
        return session;
    }

    public String name() {
        return name;
    }

    public LocalRoom room() {
        return room;
    }

    public boolean isActive() {
        return active;
    }

    public boolean isGone() {
        return gone;
    }

    public boolean joinedOffline() {
        return joinedOffline;
    }

    /** The member now gets events (its join reply has been sent). */
    public void activate() {
        active = true;
    }

    public void joinedOffline(boolean value) {
        joinedOffline = value;
    }
}
