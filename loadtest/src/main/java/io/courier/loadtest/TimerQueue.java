package io.courier.loadtest;

import java.util.PriorityQueue;

/**
 * One client thread's deadlines: at most one live timer per connection (a connect timeout, the next open-loop
 * send, the next ping). Rescheduling or cancelling bumps the connection's generation, which turns the older
 * entry stale; stale entries are dropped when they reach the head. No timer threads: the selector waits until
 * {@link #nextDeadline}.
 */
final class TimerQueue {
    private record Entry(long at, LoadConnection connection, long generation) implements Comparable<Entry> {
        @Override
        public int compareTo(Entry other) {
            return Long.compare(at, other.at);
        }

        boolean isLive() {
            return connection.timerGeneration == generation;
        }
    }

    /** What to do with a due timer. */
    @FunctionalInterface
    interface Fire {
        void fire(LoadConnection connection, long now);
    }

    private final PriorityQueue<Entry> queue = new PriorityQueue<>();

    void schedule(LoadConnection connection, long at) {
        queue.add(new Entry(at, connection, ++connection.timerGeneration));
    }

    void cancel(LoadConnection connection) {
        connection.timerGeneration++;
    }

    /** The earliest live deadline, or {@code Long.MAX_VALUE} when there is none. */
    long nextDeadline() {
        Entry head;
        while ((head = queue.peek()) != null && !head.isLive()) {
            queue.poll();
        }
        return head == null ? Long.MAX_VALUE : head.at;
    }

    /**
     * Fires the timers due at {@code now}. Timers that the callbacks schedule for {@code now} or earlier wait for
     * the next call, so one call does a bounded amount of work.
     */
    void runDue(long now, Fire fire) {
        int budget = queue.size();
        Entry head;
        while (budget-- > 0 && (head = queue.peek()) != null && head.at <= now) {
            queue.poll();
            if (head.isLive()) {
                head.connection.timerGeneration++; // fired: a callback's new schedule() is the next live one
                fire.fire(head.connection, now);
            }
        }
    }

    int size() {
        return queue.size();
    }
}
