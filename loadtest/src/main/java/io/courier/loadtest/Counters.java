package io.courier.loadtest;

import java.util.Collection;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One client thread's counters: written only by that thread (plain read, release write: no contended atomics on
 * the hot path) and read by the progress reporter on another thread.
 */
final class Counters {
    private static final Counter[] ALL = Counter.values();

    private final AtomicLongArray values = new AtomicLongArray(ALL.length);

    /** Adds {@code delta}; call only from the owning thread. */
    void add(Counter counter, long delta) {
        int i = counter.ordinal();
        values.setRelease(i, values.getPlain(i) + delta);
    }

    void increment(Counter counter) {
        add(counter, 1);
    }

    long get(Counter counter) {
        return values.getAcquire(counter.ordinal());
    }

    /** Sum of the error kinds. */
    long errors() {
        long total = 0;
        for (Counter counter : ALL) {
            if (counter.isError()) {
                total += get(counter);
            }
        }
        return total;
    }

    static long sum(Collection<Counters> all, Counter counter) {
        long total = 0;
        for (Counters counters : all) {
            total += counters.get(counter);
        }
        return total;
    }

    static long sumErrors(Collection<Counters> all) {
        long total = 0;
        for (Counters counters : all) {
            total += counters.errors();
        }
        return total;
    }
}
