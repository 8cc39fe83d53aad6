package io.courier.server.tcp;

import io.courier.server.ServerConfig;
import io.courier.server.handler.Dispatcher;
import io.courier.server.loop.EventLoop;
import io.courier.server.metrics.CloseReason;
import io.courier.server.metrics.ServerStats;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The open connections of one event loop and what they share: configuration, dispatcher, counters and scratch
 * space. Loop-thread only. It also knows when a draining server has no connection left.
 */
public final class Connections {
    final EventLoop loop;
    final ServerConfig config;
    final Dispatcher dispatcher;
    final ServerStats stats;
    /** Scratch array for gathering writes, shared by all connections of the loop. */
    final ByteBuffer[] writeScratch = new ByteBuffer[64];

    private final Set<Connection> open = new LinkedHashSet<>();
    private long nextId = 1;
    private Runnable onEmpty;

    public Connections(EventLoop loop, ServerConfig config, Dispatcher dispatcher, ServerStats stats) {
        this.loop = loop;
        this.config = config;
        this.dispatcher = dispatcher;
        this.stats = stats;
    }

    long nextId() {
        return nextId++;
    }

    void added(Connection connection) {
        open.add(connection);
        stats.connectionOpened();
    }

    void removed(Connection connection) {
        if (open.remove(connection) && open.isEmpty() && onEmpty != null) {
            Runnable callback = onEmpty;
            onEmpty = null;
            callback.run();
        }
    }

    public int size() {
        return open.size();
    }

    /** Every connection stops reading and closes once its queued replies are written. */
    public void closeAllAfterFlush(CloseReason reason) {
        forEach(connection -> connection.requestClose(reason));
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
