package io.courier.server.loop;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The one thread that owns a {@link Selector} and every channel registered with it. Each turn it selects (waiting
 * at most until the next timer), handles the ready keys, runs deferred work such as closes (so a connection never
 * disappears in the middle of a batch of ready keys), then the queued tasks and the expired timers.
 *
 * <p>Other threads reach the loop only through {@link #execute}: the task is queued and the selector woken, once,
 * however many tasks arrive before the loop looks again. There are no timer threads: the select timeout is the
 * time to the next deadline.
 */
public final class EventLoop implements Executor {
    private static final Logger log = LoggerFactory.getLogger(EventLoop.class);
    /** Tasks run per turn at most, so a flood of posted tasks cannot starve I/O. */
    private static final int MAX_TASKS_PER_TURN = 4096;

    private final Selector selector;
    private final Consumer<SelectionKey> onReady = this::handleReady;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean wakeupPending = new AtomicBoolean();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private final List<Runnable> afterBatch = new ArrayList<>();
    private final ByteBuffer readBuffer;
    private final Thread thread;
    private final CountDownLatch terminated = new CountDownLatch(1);
    private long timerSequence;
    private volatile boolean running = true;

    public EventLoop(String name, int readBufferBytes) throws IOException {
        warmUpNioClose();
        this.selector = Selector.open();
        // One read buffer for every connection: a connection holds bytes only while a message is partial.
        this.readBuffer = ByteBuffer.allocateDirect(readBufferBytes);
        this.thread = new Thread(this::run, name);
    }

    /**
     * The JDK initialises its socket-closing internals (which open a descriptor of their own) the first time a
     * socket is closed. If that first close happens while the process is out of descriptors, the initialisation
     * fails for good and every later close throws. Closing one socket now, while descriptors are plentiful, avoids
     * a server that dies exactly when it is busiest.
     */
    private static void warmUpNioClose() throws IOException {
        SocketChannel.open().close();
    }

    public void start() {
        thread.start();
    }

    public boolean inEventLoop() {
        return Thread.currentThread() == thread;
    }

    /** Queues a task for the loop thread. From the loop itself it runs later this turn, never re-entrantly. */
    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        if (!inEventLoop() && wakeupPending.compareAndSet(false, true)) {
            selector.wakeup();
        }
    }

    /** Runs {@code task} after {@code delayNanos}. Loop thread only. */
    public Timer schedule(long delayNanos, Runnable task) {
        assert inEventLoop();
        Timer timer = new Timer(System.nanoTime() + delayNanos, timerSequence++, task);
        timers.add(timer);
        return timer;
    }

    /** Runs {@code task} once the current batch of ready keys is done: the safe point for closing channels. */
    public void afterBatch(Runnable task) {
        assert inEventLoop();
        afterBatch.add(task);
    }

    public SelectionKey register(SelectableChannel channel, int ops, ChannelHandler handler)
            throws ClosedChannelException {
        assert inEventLoop();
        return channel.register(selector, ops, handler);
    }

    /** The shared read buffer. Loop thread only; its contents are valid only until the caller returns. */
    public ByteBuffer readBuffer() {
        assert inEventLoop();
        return readBuffer;
    }

    /** Every key registered with this loop, for shutdown sweeps. Loop thread only. */
    public Iterable<SelectionKey> keys() {
        assert inEventLoop();
        return selector.keys();
    }

    /** Ends the loop after the current turn. Loop thread only; use {@code execute(loop::stop)} from elsewhere. */
    public void stop() {
        assert inEventLoop();
        running = false;
    }

    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return terminated.await(timeout, unit);
    }

    public boolean isTerminated() {
        return terminated.getCount() == 0;
    }

    private void run() {
        try {
            while (running) {
                select(); // runs the handlers of the ready channels
                runAfterBatch();
                runTasks();
                runExpiredTimers();
            }
        } catch (Throwable t) {
            log.error("The event loop failed; the server stops", t);
        } finally {
            closeSelector();
            terminated.countDown();
        }
    }

    private void select() throws IOException {
        if (!tasks.isEmpty() || !afterBatch.isEmpty()) {
            selector.selectNow(onReady);
        } else {
            long waitNanos = nanosToNextTimer();
            if (waitNanos == 0) {
                selector.selectNow(onReady);
            } else {
                // select(ms) with 0 means forever; round up so a timer 0.3 ms away does not spin.
                selector.select(onReady,
                        waitNanos < 0 ? 0 : Math.max(1, TimeUnit.NANOSECONDS.toMillis(waitNanos + 999_999)));
            }
        }
        // Tasks queued from now on wake the next select; tasks queued before are picked up by runTasks below.
        wakeupPending.set(false);
    }

    private long nanosToNextTimer() {
        Timer next;
        while ((next = timers.peek()) != null && next.cancelled) {
            timers.poll();
        }
        if (next == null) {
            return -1;
        }
        return Math.max(0, next.deadlineNanos - System.nanoTime());
    }

    /**
     * One ready channel, called by the selector while it selects: the consumer form of select hands each ready key
     * over directly, where the selected-key set cost a hash-set insert, an iterator and a removal per ready channel
     * per turn (7% of the loop's Java samples with 64 connections and one request each in flight).
     */
    private void handleReady(SelectionKey key) {
        if (!key.isValid()) {
            return;
        }
        try {
            ((ChannelHandler) key.attachment()).onReady(key);
        } catch (RuntimeException e) {
            // A bug in one channel's handling must not stop the loop for everyone else.
            log.error("Unexpected failure handling {}; closing that channel", key.attachment(), e);
            closeQuietly(key);
        }
    }

    private void runAfterBatch() {
        for (int i = 0; i < afterBatch.size(); i++) {
            runSafely(afterBatch.get(i));
        }
        afterBatch.clear();
    }

    private void runTasks() {
        for (int i = 0; i < MAX_TASKS_PER_TURN; i++) {
            Runnable task = tasks.poll();
            if (task == null) {
                return;
            }
            runSafely(task);
        }
    }

    private void runExpiredTimers() {
        long now = System.nanoTime();
        Timer next;
        while ((next = timers.peek()) != null && (next.cancelled || next.deadlineNanos - now <= 0)) {
            timers.poll();
            if (!next.cancelled) {
                runSafely(next.task);
            }
        }
    }

    private static void runSafely(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            log.error("A task on the event loop failed", e);
        }
    }

    private static void closeQuietly(SelectionKey key) {
        key.cancel();
        try {
            key.channel().close();
        } catch (IOException ignored) {
            // already failing; the error was logged
        }
    }

    private void closeSelector() {
        for (SelectionKey key : selector.keys()) {
            closeQuietly(key);
        }
        try {
            selector.close();
        } catch (IOException e) {
            log.warn("Closing the selector failed", e);
        }
    }
}
