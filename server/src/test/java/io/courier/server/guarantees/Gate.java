package io.courier.server.guarantees;

import io.courier.protocol.Message;
import io.courier.server.api.Handler;
import io.courier.server.api.Session;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A real blocking handler ({@code gate}) whose requests wait on the worker pool until the test opens the gate, so
 * a test can hold a blocking request "still running" at the moment it ends a connection or stops the server.
 * It replies with the request's {@code n}. Every wait is bounded: a gate nobody opens lets go after 20 s.
 */
final class Gate implements Handler {
    static final String TYPE = "gate";
    private static final long GIVE_UP_SECONDS = 20;

    private final Semaphore entered = new Semaphore(0);
    private final CountDownLatch open = new CountDownLatch(1);

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public boolean blocking() {
        return true;
    }

    @Override
    public Message handle(Message request, Session session) throws InterruptedException {
        entered.release();
        open.await(GIVE_UP_SECONDS, TimeUnit.SECONDS);
        return Message.replyTo(request).with("n", request.header().path("n").asLong());
    }

    /** Waits until {@code count} requests are inside the handler (running on a worker, waiting for the gate). */
    void awaitEntered(int count, Duration timeout) throws InterruptedException {
        if (!entered.tryAcquire(count, timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("fewer than " + count + " gate request(s) reached the handler within "
                    + timeout);
        }
        entered.release(count);
    }

    /** Lets every waiting and future request through. */
    void open() {
        open.countDown();
    }

    static Message request(long id) {
        return Message.of(TYPE).with("id", id).with("n", id);
    }
}
