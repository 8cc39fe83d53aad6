package io.courier.server.rooms;

import io.courier.server.api.Session;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One room as this instance sees it: its own members (sessions here), every member's name in joining order (in
 * cluster mode also the names of members on other instances, as last heard from Redis), and the number and epoch
 * of the last message delivered here. Loop-confined; exists while this instance has a member in the room.
 */
public final class LocalRoom {
    final String name;
    final Map<Session, Member> locals = new LinkedHashMap<>();
    /** Every member's name in joining order; this instance's members map to their Member, the others to null. */
    private final LinkedHashMap<String, Member> view = new LinkedHashMap<>();
    /** The local members as an array for deliveries, made again only after a join or a leave. */
    private Member[] snapshot;
    private String epoch;
    private long seq;
    private boolean synced;
    private String offlineEpoch;
    private long offlineSeq;

    LocalRoom(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** This instance's members, in joining order. */
    public Collection<Member> locals() {
        return locals.values();
    }

    public Member local(String memberName) {
        return view.get(memberName);
    }

    /** Every member's name, in joining order. */
    public List<String> names() {
        return new ArrayList<>(view.keySet());
    }

    /** The names of the members on other instances, as last heard. */
    public java.util.Set<String> remoteNames() {
        java.util.Set<String> remote = new java.util.LinkedHashSet<>();
        view.forEach((memberName, member) -> {
            if (member == null) {
                remote.add(memberName);
            }
        });
        return remote;
    }

    public boolean hasName(String memberName) {
        return view.containsKey(memberName);
    }

    public int size() {
        return view.size();
    }

    /**
     * This instance's members, in joining order, as an array that never changes: a delivery iterates over it while
     * its sends may close a slow member (which leaves this room), and a room's members change far less often than
     * it gets messages, so the copy is made once per change instead of once per message.
     */
    Member[] snapshot() {
        Member[] members = snapshot;
        if (members == null) {
            members = locals.values().toArray(new Member[0]);
            snapshot = members;
        }
        return members;
    }

    void addLocal(Member member) {
        snapshot = null;
        locals.put(member.session, member);
        view.put(member.name, member);
    }

    void removeLocal(Member member) {
        snapshot = null;
        locals.remove(member.session);
        view.remove(member.name, member);
    }

    /** The names as Redis listed them; this instance's members stay attached to theirs. */
    public void replaceView(List<String> names) {
        Map<String, Member> mine = new LinkedHashMap<>();
        locals.values().forEach(m -> mine.put(m.name, m));
        view.clear();
        names.forEach(n -> view.put(n, mine.remove(n)));
        mine.forEach(view::put); // ours not (yet) known to Redis: a join still in flight
    }

    /** A member on another instance joined; false if the name was known already. */
    public boolean remoteJoined(String memberName) {
        if (view.containsKey(memberName)) {
            return false;
        }
        view.put(memberName, null);
        return true;
    }

    /** A member on another instance left; false if the name was not a remote member's. */
    public boolean remoteLeft(String memberName) {
        return view.containsKey(memberName) && view.get(memberName) == null && view.remove(memberName) == null;
    }

    /** The epoch of the last message delivered here, or null before any is known. */
    public String epoch() {
        return epoch;
    }

    /** The seq of the last message delivered here (0 when none yet in this epoch). */
    public long seq() {
        return seq;
    }

    public void position(String newEpoch, long newSeq) {
        epoch = newEpoch;
        seq = newSeq;
    }

    /** Cluster mode: view and seq are as of a Redis reply, so events from the subscription apply on top. */
    public boolean synced() {
        return synced;
    }

    public void synced(boolean value) {
        synced = value;
    }

    /**
     * While the cluster link is down, messages said here are numbered in an epoch of their own (they are never
     * in the cluster's history): returns the next seq of it, and {@link #offlineEpoch()} names it.
     */
    public long nextOfflineSeq() {
        if (offlineEpoch == null) {
            offlineEpoch = Epochs.next();
            offlineSeq = 0;
        }
        return ++offlineSeq;
    }

    public String offlineEpoch() {
        return offlineEpoch;
    }

    /** The link is back: the next outage numbers its messages in a new epoch. */
    public void endOffline() {
        offlineEpoch = null;
    }
}
