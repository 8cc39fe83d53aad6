package io.courier.server.stream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.courier.protocol.ErrorCode;
import io.courier.protocol.Message;
import io.courier.server.config.ServerConfig;
import io.courier.server.loop.EventLoop;
import io.courier.server.metrics.CloseReason;
import io.courier.server.metrics.ServerStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The registry of one event loop's open stream connections: it numbers them, counts them against
 * {@code max-connections}, sweeps them for timeouts, closes them all at shutdown and knows when a draining server
 * has none left. What they share lives in {@link ConnectionContext}. Loop-thread only.
 */
public final class Connections {
    private static final Logger log = LoggerFactory.getLogger(Connections.class);
    private static final long REJECT_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    final ConnectionContext context;
    private final EventLoop loop;
    private final ServerConfig config;
    private final ServerStats stats;

    /** Open connections; each knows its slot, so removal is a swap with the last (no per-entry objects). */
    private final List<Connection> open = new ArrayList<>();
    private long nextId = 1;
    private Runnable onEmpty;
    private long rejectedSinceLog;
    private long lastRejectLogNanos;
    private boolean budgetCheckScheduled;

    public Connections(ConnectionContext context) {
        this.context = context;
        this.loop = context.loop;
        this.config = context.config;
        this.stats = context.stats;
    }

    /** Starts the periodic timeout sweep (idle and frame timeouts). Loop thread only. */
    public void startTimeoutSweep() {
        long idle = config.idleTimeout().toNanos();
        long frame = config.frameTimeout().toNanos();
        long shortest = Math.min(idle == 0 ? Long.MAX_VALUE : idle, frame == 0 ? Long.MAX_VALUE : frame);
        if (shortest == Long.MAX_VALUE) {
            return;
        }
        // A tenth of the shortest timeout keeps a timeout at most 10% late, within 10 ms .. 1 s per sweep.
        long interval = Math.max(TimeUnit.MILLISECONDS.toNanos(10), Math.min(TimeUnit.SECONDS.toNanos(1),
                shortest / 10));
        sweep(interval, idle, frame);
    }

    private void sweep(long interval, long idle, long frame) {
        long now = System.nanoTime();
        forEach(connection -> connection.checkTimeouts(now, idle, frame));
        loop.schedule(interval, () -> sweep(interval, idle, frame));
    }

    long nextId() {
        return nextId++;
    }

    void added(Connection connection) {
        connection.slot = open.size();
        open.add(connection);
        stats.connectionOpened();
    }

    void removed(Connection connection, CloseReason reason) {
        stats.connectionClosed(reason);
        int slot = connection.slot;
        if (slot < 0 || slot >= open.size() || open.get(slot) != connection) {
            return;
        }
        Connection last = open.remove(open.size() - 1);
        if (last != connection) {
            open.set(slot, last);
            last.slot = slot;
        }
        connection.slot = -1;
        if (open.isEmpty() && onEmpty != null) {
            Runnable callback = onEmpty;
            onEmpty = null;
            callback.run();
        }
    }

    /**
     * Counts a connection turned away at the limit, logging a summary at most every 10 s (no log floods), and
     * returns the busy error it gets.
     */
    Message rejected(Connection connection) {
        stats.connectionRejected();
        rejectedSinceLog++;
        long now = System.nanoTime();
        if (now - lastRejectLogNanos > REJECT_LOG_INTERVAL_NANOS) {
            log.warn("At max-connections {}: turned away {} connection(s) with a busy error, latest {}",
                    config.maxConnections(), rejectedSinceLog, connection);
            rejectedSinceLog = 0;
            lastRejectLogNanos = now;
        }
        return Message.error(null, null, ErrorCode.BUSY, "the server is at its limit of " + config.maxConnections()
                + " connections (max-connections); try again later");
    }

    /**
     * All connections together hold more than max-buffered-bytes: close the biggest holders, each with a
     * {@code limit_exceeded} error naming the option and its buffers dropped at once, until the total is under
     * nine tenths of the budget, so everyone else goes on being served. Linear in the open connections, and run
     * only when the budget is passed.
     */
    void enforceBufferBudgetSoon() {
        if (!budgetCheckScheduled) {
            budgetCheckScheduled = true;
            loop.afterBatch(() -> {
                budgetCheckScheduled = false;
                enforceBufferBudget();
            });
        }
    }

    void enforceBufferBudget() {
        long target = context.bufferBudget / 10 * 9;
        while (stats.bufferedBytes() > target) {
            Connection biggest = null;
            for (Connection connection : open) {
                if (connection.isOpen() && (biggest == null || connection.bufferedBytes() > biggest.bufferedBytes())) {
                    biggest = connection;
                }
            }
            if (biggest == null || biggest.bufferedBytes() == 0) {
                return; // what is left is held by connections already closing
            }
            log.warn("All connections hold {} bytes, over max-buffered-bytes {}; closing {}, which holds {}",
                    stats.bufferedBytes(), context.bufferBudget, biggest, biggest.bufferedBytes());
            Message error = Message.error(null, null, ErrorCode.LIMIT_EXCEEDED, "the server holds more than "
                    + "max-buffered-bytes (" + context.bufferBudget + ") for all clients together, and this "
                    + "connection held the most; reconnect, and send large data in smaller pieces");
            ((ObjectNode) error.header().get(Message.ERROR)).put("limit", "max-buffered-bytes")
                    .put("max", context.bufferBudget);
            biggest.shed(error);
        }
    }

    public int size() {
        return open.size();
    }

    /** Shutdown: every connection gets {@code notice}, stops reading, and closes once its replies are written. */
    public void closeAllAfterFlush(Message notice) {
        forEach(connection -> connection.closeForShutdown(notice));
    }

    /** Every connection closes now, dropping what is queued. */
    public void closeAllNow(CloseReason reason) {
        forEach(connection -> connection.closeNow(reason, null));
    }

    /** Applies {@code action} to a copy of the set, so the action may close connections. */
    private void forEach(Consumer<Connection> action) {
        List<Connection> copy = new ArrayList<>(open);
        copy.forEach(action);
    }

    /** Runs {@code callback} once no connection is left (at once if none is open now). */
    public void whenEmpty(Runnable callback) {
        if (open.isEmpty()) {
            callback.run();
        } else {
            onEmpty = callback;
        }
    }
}
