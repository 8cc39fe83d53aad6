package io.courier.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The strings headers repeat (a request's {@code type}: "ping", "echo", "room.say"), kept so that decoding one
 * costs no new String and routing finds its hash already computed. A fixed table of slots, each the last string
 * seen with that hash: a client sending ever new types only replaces entries, so the table never grows. Shared by
 * every thread: an entry is immutable and a slot holds a reference, so a racing reader sees an old entry, a new
 * one or none, each whole.
 */
final class RepeatedStrings {
    private static final int SLOTS = 256;
    /** Longer strings are decoded each time: they are seldom repeated types. */
    private static final int MAX_BYTES = 48;

    private record Entry(byte[] bytes, String text) {
    }

    private final Entry[] slots = new Entry[SLOTS];

    /** The text of the UTF-8 bytes {@code source[from, to)}, which must hold no escapes. */
    String text(byte[] source, int from, int to) {
        int length = to - from;
        if (length > MAX_BYTES) {
            return new String(source, from, length, StandardCharsets.UTF_8);
        }
        int hash = length;
        for (int i = from; i < to; i++) {
            hash = 31 * hash + source[i];
        }
        int slot = (hash ^ (hash >>> 16)) & (SLOTS - 1);
        Entry entry = slots[slot];
        if (entry != null && Arrays.equals(entry.bytes, 0, entry.bytes.length, source, from, to)) {
            return entry.text;
        }
        String text = new String(source, from, length, StandardCharsets.UTF_8);
        slots[slot] = new Entry(Arrays.copyOfRange(source, from, to), text);
        return text;
    }
}
