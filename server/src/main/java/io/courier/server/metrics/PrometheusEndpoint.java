package io.courier.server.metrics;

import io.courier.protocol.ErrorCode;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Serves the server's counters as Prometheus metrics at {@code http://HOST:PORT/metrics}, on a separate port and
 * the exporter's own thread. One scrape takes one snapshot from the event loop, shared by all its metrics.
 */
public final class PrometheusEndpoint implements AutoCloseable {
    private static final long SNAPSHOT_REUSE_NANOS = 250_000_000L;

    private final HTTPServer http;
    private final Supplier<ServerStats.Snapshot> source;
    private ServerStats.Snapshot cached;
    private long cachedAtNanos;

    private PrometheusEndpoint(Supplier<ServerStats.Snapshot> source, String host, int port) throws IOException {
        this.source = source;
        PrometheusRegistry registry = new PrometheusRegistry();
        register(registry);
        this.http = HTTPServer.builder().hostname(host).port(port).registry(registry).buildAndStart();
    }

    /** Starts the endpoint; {@code source} takes a snapshot of the counters (e.g. {@code server::stats}). */
    public static PrometheusEndpoint start(Supplier<ServerStats.Snapshot> source, String host, int port)
            throws IOException {
        return new PrometheusEndpoint(source, host, port);
    }

    public int port() {
        return http.getPort();
    }

    private synchronized ServerStats.Snapshot snapshot() {
        long now = System.nanoTime();
        if (cached == null || now - cachedAtNanos > SNAPSHOT_REUSE_NANOS) {
            cached = source.get();
            cachedAtNanos = now;
        }
        return cached;
    }

    private void register(PrometheusRegistry registry) {
        GaugeWithCallback.builder().name("courier_connections_open").help("Open client connections")
                .callback(cb -> cb.call(snapshot().connectionsOpen())).register(registry);
        counter(registry, "courier_connections", "Connections accepted since start",
                () -> snapshot().connectionsTotal());
        counter(registry, "courier_connections_rejected", "Connections turned away at max-connections",
                () -> snapshot().connectionsRejected());
        counter(registry, "courier_messages_received", "Messages received", () -> snapshot().messagesIn());
        counter(registry, "courier_messages_sent", "Messages sent (replies and events)",
                () -> snapshot().messagesOut());
        counter(registry, "courier_received_bytes", "Bytes received", () -> snapshot().bytesIn());
        counter(registry, "courier_sent_bytes", "Bytes sent", () -> snapshot().bytesOut());
        CounterWithCallback.builder().name("courier_errors").help("Error replies by code").labelNames("code")
                .callback(cb -> {
                    for (Map.Entry<ErrorCode, Long> error : snapshot().errors().entrySet()) {
                        cb.call(error.getValue(), error.getKey().wireName());
                    }
                }).register(registry);
        CounterWithCallback.builder().name("courier_disconnects").help("Closed connections by reason")
                .labelNames("reason").callback(cb -> {
                    for (Map.Entry<CloseReason, Long> close : snapshot().closes().entrySet()) {
                        cb.call(close.getValue(), close.getKey().name().toLowerCase(Locale.ROOT));
                    }
                }).register(registry);
        GaugeWithCallback.builder().name("courier_event_loop_lag_seconds")
                .help("How late the event loop ran its last due timer")
                .callback(cb -> cb.call(snapshot().loopLagNanos() / 1e9)).register(registry);
        GaugeWithCallback.builder().name("courier_cluster_connected")
                .help("1 while the cluster link to Redis is up, 0 while it is not; absent without --cluster")
                .callback(cb -> {
                    ServerStats.Cluster cluster = snapshot().cluster();
                    if (!cluster.state().equals("off")) {
                        cb.call(cluster.state().equals("connected") ? 1 : 0);
                    }
                }).register(registry);
        counter(registry, "courier_cluster_link_losses", "Times a working cluster link to Redis was lost",
                () -> snapshot().cluster().linkLosses());
        GaugeWithCallback.builder().name("courier_uptime_seconds").help("Seconds since the server started")
                .callback(cb -> cb.call(snapshot().uptimeMillis() / 1e3)).register(registry);
    }

    private static void counter(PrometheusRegistry registry, String name, String help, Supplier<Long> value) {
        CounterWithCallback.builder().name(name).help(help).callback(cb -> cb.call(value.get())).register(registry);
    }

    @Override
    public void close() {
        http.close();
    }
}
