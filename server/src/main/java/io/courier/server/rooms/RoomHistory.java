package io.courier.server.rooms;

import io.courier.protocol.Json;
import io.courier.protocol.Message;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Single-instance history: per room its epoch, the last seq and the last {@code room-history} messages, in memory.
 * Memory is bounded twice: per room by the count, and all rooms together by {@code room-history-bytes}, past which
 * the oldest messages of any room go first (one list across rooms, in the order they were said). A room nobody is
 * in keeps its history (a sole member that reconnects can recover) until its messages age out of that budget;
 * then it is forgotten, and the room starts again under a new epoch. Loop-confined.
 */
final class RoomHistory {
    private final int perRoom;
    private final long budgetBytes;
    private final Map<String, Log> logs = new HashMap<>();
    /** Every kept message of every room, oldest first, linked so any one leaves in O(1). */
    private Entry oldest;
    private Entry newest;
    private long bytes;

    /** One room's numbering and kept messages. */
    static final class Log {
        final String room;
        final String epoch = Epochs.next();
        long seq;
        boolean inUse;
        final ArrayDeque<Entry> entries = new ArrayDeque<>();

        Log(String room) {
            this.room = room;
        }
    }

    private static final class Entry {
        final Log log;
        final long seq;
        final Message message;
        final long size;
        Entry older;
        Entry newer;

        Entry(Log log, long seq, Message message, long size) {
            this.log = log;
            this.seq = seq;
            this.message = message;
            this.size = size;
        }
    }

    /** Whether a member's {@code since} can be served, and the messages to replay. */
    record Recovery(boolean recovered, List<Message> replay) {
    }

    RoomHistory(int perRoom, long budgetBytes) {
        this.perRoom = perRoom;
        this.budgetBytes = budgetBytes;
    }

    /** The room's log, created (under a new epoch) when the room has none; marked in use by a member. */
    Log open(String room) {
        Log log = logs.computeIfAbsent(room, Log::new);
        log.inUse = true;
        return log;
    }

    /** The room has no member any more: its log stays only while it holds messages. */
    void release(Log log) {
        log.inUse = false;
        if (log.entries.isEmpty()) {
            logs.remove(log.room, log);
        }
    }

    /** Numbers a message said in the room: the next seq. */
    long next(Log log) {
        return ++log.seq;
    }

    /** Keeps a numbered message, then drops what the count and the byte budget no longer allow. */
    void keep(Log log, long seq, Message message) {
        if (perRoom == 0) {
            return;
        }
        Entry entry = new Entry(log, seq, message, sizeOf(message));
        log.entries.addLast(entry);
        link(entry);
        while (log.entries.size() > perRoom) {
            drop(log.entries.peekFirst());
        }
        while (bytes > budgetBytes && oldest != null) {
            drop(oldest);
        }
    }

    /**
     * The messages after {@code since} if the log reaches back that far in the same epoch. {@code since} equal to
     * the last seq recovers nothing and needs nothing: recovered.
     */
    Recovery recover(Log log, long since, String epoch) {
        if (!log.epoch.equals(epoch) || since > log.seq) {
            return new Recovery(false, List.of());
        }
        if (since == log.seq) {
            return new Recovery(true, List.of());
        }
        Entry first = log.entries.peekFirst();
        if (first == null || first.seq > since + 1) {
            return new Recovery(false, List.of());
        }
        List<Message> replay = new ArrayList<>();
        for (Entry entry : log.entries) {
            if (entry.seq > since) {
                replay.add(entry.message);
            }
        }
        return new Recovery(true, replay);
    }

    /** Bytes held now, all rooms together (for tests and stats). */
    long bytes() {
        return bytes;
    }

    private void link(Entry entry) {
        entry.older = newest;
        if (newest != null) {
            newest.newer = entry;
        } else {
            oldest = entry;
        }
        newest = entry;
        bytes += entry.size;
    }

    private void drop(Entry entry) {
        if (entry.older != null) {
            entry.older.newer = entry.newer;
        } else {
            oldest = entry.newer;
        }
        if (entry.newer != null) {
            entry.newer.older = entry.older;
        } else {
            newest = entry.older;
        }
        bytes -= entry.size;
        Log log = entry.log;
        log.entries.remove(entry); // always the log's oldest, so this is O(1)
        if (log.entries.isEmpty() && !log.inUse) {
            logs.remove(log.room, log);
        }
    }

    /**
     * What a kept message costs: its body, its header (counted twice: the tree takes more than its JSON), and a
     * little for the objects around them.
     */
    private static long sizeOf(Message message) {
        int built = message.builtHeaderLength(); // the same length serialising its tree would give, known already
        if (built >= 0) {
            return 2L * built + message.bodyLength() + 96;
        }
        try {
            return 2L * Json.MAPPER.writeValueAsBytes(message.header()).length + message.bodyLength() + 96;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a room message's header cannot be written as JSON", e);
        }
    }
}
