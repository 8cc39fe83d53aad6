package io.courier.loadtest;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * A fan-out publisher's closed loop: at most {@code size} of its messages may be on their way, a message counting
 * until every member has it. The members report in-order deliveries ({@link #delivered}); the member completing a
 * message frees its slot. Because each member receives one publisher's messages in order, message {@code s} is
 * complete before {@code s + 1} is, so slot {@code (s - 1) % size} is free again when {@code s + size} may go out.
 * (Under loss a slot never completes and the publisher stalls: the run fails anyway, and the missing deliveries are
 * counted as lost.) So the server's queues stay bounded by {@code size} messages per publisher and member.
 */
final class DeliveryWindow {
    private final int size;
    private final int members;
    private final AtomicIntegerArray deliveries;
    private final Semaphore free;

    DeliveryWindow(int size, int members) {
        this.size = size;
        this.members = members;
        this.deliveries = new AtomicIntegerArray(size);
        this.free = new Semaphore(size);
    }

    /** Takes a slot for the next message, waiting up to {@code maxNanos}; false if none freed meanwhile. */
    boolean acquire(long maxNanos) throws InterruptedException {
        return free.tryAcquire(maxNanos, TimeUnit.NANOSECONDS);
    }

    /** One member has message {@code seq} (from 1), in order; called on the members' reader threads. */
    void delivered(long seq) {
        int slot = (int) ((seq - 1) % size);
        if (deliveries.incrementAndGet(slot) == members) {
            deliveries.set(slot, 0); // before the release: the next message of this slot may be sent right after
            free.release();
        }
    }

    /** Messages sent and not yet delivered to every member. */
    int inFlight() {
        return size - free.availablePermits();
    }
}
