package io.courier.loadtest;

import io.courier.protocol.Message;

import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * One fan-out member's check of what it receives, on its connection's reader thread: per publisher, the next
 * sequence number due. A message ahead of it leaves the numbers skipped "missing"; one of those arriving later is
 * out of order; any other number already seen is a duplicate. What is still missing at the end is lost (the
 * runner counts that from the totals). Counts are read by the runner on other threads, hence volatile.
 */
final class FanoutMember implements Consumer<Message> {
    /** Missing numbers remembered per publisher at most; past that a late one counts as a duplicate. */
    static final int MAX_MISSING = 100_000;

    private final String name;
    private final FanoutRun run;
    private final long[] nextSeq;
    private final TreeSet<Long>[] missing;
    private volatile long deliveredWarmup;
    private volatile long deliveredMeasured;
    private volatile long duplicated;
    private volatile long outOfOrder;
    private volatile long malformed;

    @SuppressWarnings("unchecked")
    FanoutMember(String name, FanoutRun run, int publishers) {
        this.name = name;
        this.run = run;
        this.nextSeq = new long[publishers];
        this.missing = new TreeSet[publishers];
        for (int p = 0; p < publishers; p++) {
            nextSeq[p] = 1;
            missing[p] = new TreeSet<>();
        }
    }

    @Override
    public void accept(Message event) {
        if (!"room.message".equals(event.type()) || !run.room().equals(event.textField("room"))) {
            return; // room.joined and room.left of the others: not deliveries
        }
        long now = System.nanoTime();
        FanoutText text = FanoutText.parse(event.textField("text"));
        if (text == FanoutText.MALFORMED || text.publisher() >= nextSeq.length) {
            malformed++;
            run.sample(name + ": a room.message whose text is not one of ours: " + event.textField("text"));
            return;
        }
        int p = text.publisher();
        long seq = text.seq();
        if (seq == nextSeq[p]) {
            nextSeq[p]++;
            run.window(p).delivered(seq);
        } else if (seq > nextSeq[p]) {
            for (long skipped = nextSeq[p]; skipped < seq && missing[p].size() < MAX_MISSING; skipped++) {
                missing[p].add(skipped);
            }
            run.sample(name + ": publisher " + p + " message " + seq + " came while " + nextSeq[p]
                    + " was due");
            nextSeq[p] = seq + 1;
        } else if (missing[p].remove(seq)) {
            outOfOrder++;
            run.sample(name + ": publisher " + p + " message " + seq + " came late (out of order)");
        } else {
            duplicated++;
            run.sample(name + ": publisher " + p + " message " + seq + " came again (duplicate)");
            return;
        }
        if (run.isMeasured(text.sentNanos())) {
            deliveredMeasured++;
            run.recordLatency(text.sentNanos(), now, true);
        } else {
            deliveredWarmup++;
            run.recordLatency(text.sentNanos(), now, false);
        }
    }

    /** Distinct messages received (warm-up and measured), in order or not. */
    long delivered() { return deliveredWarmup + deliveredMeasured; }
    long deliveredWarmup() { return deliveredWarmup; }
    long deliveredMeasured() { return deliveredMeasured; }
    long duplicated() { return duplicated; }
    long outOfOrder() { return outOfOrder; }
    long malformed() { return malformed; }
}
