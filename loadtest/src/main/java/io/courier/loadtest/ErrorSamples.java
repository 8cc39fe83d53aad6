package io.courier.loadtest;

import java.util.ArrayList;
import java.util.List;

/**
 * The first few errors of a run, in words, so a failed run says what went wrong and not only how often. Shared by
 * the client threads; errors are rare, so a lock is fine.
 */
final class ErrorSamples {
    static final int DEFAULT_CAPACITY = 10;

    private final int capacity;
    private final List<String> samples = new ArrayList<>();
    private long dropped;

    ErrorSamples(int capacity) {
        this.capacity = capacity;
    }

    synchronized void add(String sample) {
        if (samples.size() < capacity) {
            samples.add(sample);
        } else {
            dropped++;
        }
    }

    synchronized List<String> snapshot() {
        List<String> copy = new ArrayList<>(samples);
        if (dropped > 0) {
            copy.add("... and " + dropped + " more");
        }
        return copy;
    }
}
