package io.courier.server.loop;

import io.courier.server.metrics.ServerStats;

import java.util.concurrent.TimeUnit;

/**
 * Measures how late the loop runs a timer: a handler that blocks, or a burst of work, shows up here as lag.
 * Every 100 ms a timer is due; how late it actually runs is the loop's lag at that moment.
 */
public final class LoopLagProbe {
    private static final long INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final EventLoop loop;
    private final ServerStats stats;
    private long dueNanos;

    private LoopLagProbe(EventLoop loop, ServerStats stats) {
        this.loop = loop;
        this.stats = stats;
    }

    /** Starts probing. Loop thread only. */
    public static void start(EventLoop loop, ServerStats stats) {
        stats.loopAlive();
        new LoopLagProbe(loop, stats).scheduleNext();
    }

    private void scheduleNext() {
        dueNanos = System.nanoTime() + INTERVAL_NANOS;
        loop.schedule(INTERVAL_NANOS, this::fire);
    }

    private void fire() {
        stats.loopLag(Math.max(0, System.nanoTime() - dueNanos));
        scheduleNext();
    }
}
