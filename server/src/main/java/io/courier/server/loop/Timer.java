package io.courier.server.loop;

/** A one-shot task the loop runs at a deadline; cancel it to skip it. Loop-thread only. */
public final class Timer implements Comparable<Timer> {
    final long deadlineNanos;
    final Runnable task;
    private final long sequence;
    boolean cancelled;

    Timer(long deadlineNanos, long sequence, Runnable task) {
        this.deadlineNanos = deadlineNanos;
        this.sequence = sequence;
        this.task = task;
    }

    public void cancel() {
        cancelled = true;
    }

    @Override
    public int compareTo(Timer other) {
        int byDeadline = Long.compare(deadlineNanos - other.deadlineNanos, 0);
        return byDeadline != 0 ? byDeadline : Long.compare(sequence, other.sequence);
    }
}
