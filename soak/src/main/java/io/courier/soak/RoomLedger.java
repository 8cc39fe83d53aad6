package io.courier.soak;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who said what in the soak room and what each member received, to check that every member got every message
 * once, in each sender's order; and that every passing member was seen joining and leaving. Thread-safe (each
 * member's events arrive on its own client's reader thread).
 */
final class RoomLedger {
    private static final int MAX_SAMPLES = 10;

    /** Per sender, the sequence numbers of its acknowledged says, in the order said. */
    private final Map<String, List<Long>> said = new HashMap<>();
    /** Per member, per sender, the sequence numbers received, in arrival order. */
    private final Map<String, Map<String, List<Long>>> received = new HashMap<>();
    /** Per member, how often it saw each name join and leave. */
    private final Map<String, Map<String, Integer>> joins = new HashMap<>();
    private final Map<String, Map<String, Integer>> leaves = new HashMap<>();
    private final List<String> passers = new ArrayList<>();

    /**
     * The verdict.
     *
     * @param expected   deliveries due: acknowledged messages times the members that stay
     * @param delivered  messages received by the members that stay (first copies)
     * @param missing    acknowledged messages a member never received
     * @param duplicated second copies
     * @param reordered  messages that came before an earlier one of the same sender
     * @param unknown    messages received that no acknowledged say explains
     * @param presence   passing members whose join or leave a member did not see exactly once
     * @param samples    the first problems in words
     */
    record Result(long expected, long delivered, long missing, long duplicated, long reordered, long unknown,
                  long presence, List<String> samples) {
        long problems() {
            return missing + duplicated + reordered + unknown + presence;
        }
    }

    synchronized void said(String sender, long seq) {
        said.computeIfAbsent(sender, k -> new ArrayList<>()).add(seq);
    }

    synchronized void received(String member, String sender, long seq) {
        received.computeIfAbsent(member, k -> new HashMap<>()).computeIfAbsent(sender, k -> new ArrayList<>())
                .add(seq);
    }

    synchronized void joined(String member, String name) {
        joins.computeIfAbsent(member, k -> new HashMap<>()).merge(name, 1, Integer::sum);
    }

    synchronized void left(String member, String name) {
        leaves.computeIfAbsent(member, k -> new HashMap<>()).merge(name, 1, Integer::sum);
    }

    /** A member that joined, spoke and left while the others stayed: they must see it come and go. */
    synchronized void passedThrough(String name) {
        passers.add(name);
    }

    /** True once each staying member has received as many messages as were acknowledged, and all presence. */
    synchronized boolean settled(List<String> members) {
        Result result = verify(members);
        return result.delivered() >= result.expected() && result.presence() == 0;
    }

    synchronized Result verify(List<String> members) {
        long expected = 0;
        long delivered = 0;
        long missing = 0;
        long duplicated = 0;
        long reordered = 0;
        long unknown = 0;
        long presence = 0;
        List<String> samples = new ArrayList<>();
        for (String member : members) {
            Map<String, List<Long>> got = received.getOrDefault(member, Map.of());
            for (Map.Entry<String, List<Long>> entry : said.entrySet()) {
                String sender = entry.getKey();
                Set<Long> due = new HashSet<>(entry.getValue());
                List<Long> arrived = got.getOrDefault(sender, List.of());
                expected += due.size();
                Set<Long> seen = new HashSet<>();
                long previous = Long.MIN_VALUE;
                for (long seq : arrived) {
                    if (!seen.add(seq)) {
                        duplicated++;
                        sample(samples, member + " got " + sender + "#" + seq + " twice");
                        continue;
                    }
                    if (!due.contains(seq)) {
                        unknown++;
                        sample(samples, member + " got " + sender + "#" + seq + ", which was never acknowledged");
                        continue;
                    }
                    delivered++;
                    if (seq < previous) {
                        reordered++;
                        sample(samples, member + " got " + sender + "#" + seq + " after #" + previous);
                    }
                    previous = Math.max(previous, seq);
                }
                for (long seq : due) {
                    if (!seen.contains(seq)) {
                        missing++;
                        sample(samples, member + " never got " + sender + "#" + seq);
                    }
                }
            }
            for (String passer : passers) {
                int joined = joins.getOrDefault(member, Map.of()).getOrDefault(passer, 0);
                int left = leaves.getOrDefault(member, Map.of()).getOrDefault(passer, 0);
                if (joined != 1 || left != 1) {
                    presence++;
                    sample(samples, member + " saw " + passer + " join " + joined + "x and leave " + left + "x");
                }
            }
        }
        // Senders nobody acknowledged but somebody heard (a say whose reply went missing) count as unknown too.
        for (String member : members) {
            for (Map.Entry<String, List<Long>> entry : received.getOrDefault(member, Map.of()).entrySet()) {
                if (!said.containsKey(entry.getKey())) {
                    unknown += entry.getValue().size();
                    sample(samples, member + " heard " + entry.getKey() + ", whose says were never acknowledged");
                }
            }
        }
        return new Result(expected, delivered, missing, duplicated, reordered, unknown, presence, samples);
    }

    private static void sample(List<String> samples, String text) {
        if (samples.size() < MAX_SAMPLES) {
            samples.add(text);
        }
    }
}
