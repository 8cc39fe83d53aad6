package io.courier.loadtest;

import io.courier.protocol.Message;
import io.courier.protocol.client.MessageClient;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * One fan-out publisher, on its own thread: {@code room.say} into the room, either as its delivery window allows
 * (closed loop) or at its share of {@code --rate} (open loop: each message carries its intended send time, so a
 * server that holds the publisher back shows in the latency). Replies are checked on the connection's reader.
 */
final class FanoutPublisher implements Runnable {
    private static final long WINDOW_POLL_NANOS = 50_000_000L;

    private final int index;
    private final MessageClient client;
    private final FanoutRun run;
    /** Null in the closed loop. */
    private final RateSchedule schedule;
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong errorReplies = new AtomicLong();
    private volatile long publishedWarmup;
    private volatile long publishedMeasured;
    private volatile boolean disconnected;

    FanoutPublisher(int index, MessageClient client, FanoutRun run, RateSchedule schedule) {
        this.index = index;
        this.client = client;
        this.run = run;
        this.schedule = schedule;
    }

    @Override
    public void run() {
        DeliveryWindow window = run.window(index);
        long seq = 1;
        try {
            while (!disconnected) {
                long start;
                if (schedule == null) {
                    if (run.sendingOver(System.nanoTime())) {
                        return;
                    }
                    if (!window.acquire(WINDOW_POLL_NANOS)) {
                        continue; // re-check the time: deliveries may have stopped for good (that run fails)
                    }
                    start = System.nanoTime();
                } else {
                    start = schedule.take();
                    long wait;
                    while ((wait = start - System.nanoTime()) > 0 && !run.sendingOver(start)) {
                        LockSupport.parkNanos(wait);
                    }
                }
                if (run.sendingOver(start)) {
                    return;
                }
                say(seq++, start);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void say(long seq, long start) {
        Message say = Message.of("room.say").with("room", run.room())
                .with("text", new FanoutText(index, seq, start).format(run.textBytes()));
        if (run.isMeasured(start)) {
            publishedMeasured++;
        } else {
            publishedWarmup++;
        }
        client.request(say).whenComplete((reply, failure) -> {
            if (failure != null) {
                if (!disconnected) {
                    disconnected = true;
                    run.sample("publisher " + index + ": " + failure);
                }
            } else if (!reply.isOk()) {
                errorReplies.incrementAndGet();
                run.sample("publisher " + index + ": room.say answered " + reply.errorCode() + ": "
                        + reply.errorMessage());
            }
            answered.incrementAndGet();
        });
    }

    long published() { return publishedWarmup + publishedMeasured; }
    long publishedWarmup() { return publishedWarmup; }
    long publishedMeasured() { return publishedMeasured; }
    /** Says answered (ok or not) or failed with the connection. */
    long answered() { return answered.get(); }
    long errorReplies() { return errorReplies.get(); }
    boolean disconnected() { return disconnected; }
}
