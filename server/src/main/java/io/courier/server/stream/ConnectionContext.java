package io.courier.server.stream;

import io.courier.server.config.ServerConfig;
import io.courier.server.dispatch.Dispatcher;
import io.courier.server.logging.ConnectionLog;
import io.courier.server.loop.EventLoop;
import io.courier.server.metrics.ServerStats;
import io.courier.server.web.WebSite;

import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;

/**
 * What every stream connection of one event loop shares: the loop, the configuration, the dispatcher, the counters
 * and scratch space. Loop-thread only (the scratch array is reused by every flush).
 */
public final class ConnectionContext {
    final EventLoop loop;
    final ServerConfig config;
    final Dispatcher dispatcher;
    final ServerStats stats;
    /** The page, /healthz and the WebSocket upgrade, for connections that start with HTTP. */
    final WebSite web;
    /** The per-connection lines (connected, disconnected, ...), at the configured connection-log level. */
    final ConnectionLog connectionLog;
    /** max-buffered-bytes as in force: partial input plus unsent replies, all connections together. */
    final long bufferBudget;
    /** Scratch array for gathering writes, shared by all connections of the loop. */
    final ByteBuffer[] writeScratch = new ByteBuffer[64];
    /** The write queues' chunks, reused across connections and loop turns. */
    final ChunkPool chunks = new ChunkPool();

    public ConnectionContext(EventLoop loop, ServerConfig config, Dispatcher dispatcher, ServerStats stats,
                             WebSite web) {
        this.loop = loop;
        this.config = config;
        this.dispatcher = dispatcher;
        this.stats = stats;
        this.web = web;
        this.connectionLog = new ConnectionLog(LoggerFactory.getLogger(Connection.class), config.connectionLog());
        this.bufferBudget = config.clientLimits().bufferedBytesBudget();
    }
}
