package io.courier.server.metrics;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The counters for scrapes: one snapshot from the event loop shared by scrapes within 250 ms, asked for by one
 * thread of its own and waited for at most a second. A stuck loop therefore costs each scrape a second and the
 * last snapshot it had (the stall gauge tells), never a hung metrics thread, and never more than one waiting task.
 */
final class LoopSnapshots implements Supplier<ServerStats.Snapshot>, AutoCloseable {
    private static final long REUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    private static final long WAIT_MILLIS = 1000;

    private final MonitoredServer server;
    private final ExecutorService fetcher = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "courier-metrics-snapshot");
        thread.setDaemon(true);
        return thread;
    });
    private Future<ServerStats.Snapshot> pending;
    private ServerStats.Snapshot last;
    private long lastAtNanos;

    LoopSnapshots(MonitoredServer server) {
        this.server = server;
    }

    /** The latest snapshot, or null before the server runs (or while its loop has never answered). */
    @Override
    public synchronized ServerStats.Snapshot get() {
        if (server.state() == ServerState.STARTING) {
            return null;
        }
        long now = System.nanoTime();
        if (last != null && now - lastAtNanos < REUSE_NANOS) {
            return last;
        }
        if (pending == null) {
            pending = fetcher.submit(server::stats);
        }
        try {
            last = pending.get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
            lastAtNanos = System.nanoTime();
            pending = null;
        } catch (TimeoutException e) {
            // the loop does not answer: serve what we had; the task stays pending for the next scrape
        } catch (ExecutionException e) {
            pending = null; // the loop stopped under us (shutdown): keep the last counters
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return last;
    }

    @Override
    public void close() {
        fetcher.shutdownNow();
    }
}
