package io.courier.soak;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Counts labelled outcomes from many threads, and keeps the first few problems in words. */
final class Tally {
    private static final int MAX_SAMPLES = 10;

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final List<String> samples = new ArrayList<>();

    void count(String label) {
        add(label, 1);
    }

    void add(String label, long amount) {
        counts.computeIfAbsent(label, key -> new LongAdder()).add(amount);
    }

    /** Counts a problem and remembers its description (the first few). */
    void problem(String label, String description) {
        count(label);
        synchronized (samples) {
            if (samples.size() < MAX_SAMPLES) {
                samples.add(description);
            }
        }
    }

    long get(String label) {
        LongAdder adder = counts.get(label);
        return adder == null ? 0 : adder.sum();
    }

    /** Every label and its count, sorted by label. */
    Map<String, Long> snapshot() {
        Map<String, Long> copy = new TreeMap<>();
        counts.forEach((label, adder) -> copy.put(label, adder.sum()));
        return copy;
    }

    List<String> samples() {
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }
}
