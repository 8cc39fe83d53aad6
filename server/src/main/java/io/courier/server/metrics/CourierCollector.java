package io.courier.server.metrics;

import io.courier.protocol.ErrorCode;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The server's own metrics, all from one snapshot per scrape, named with the words of the {@code stats} reply
 * ({@link StatsReport}) and Prometheus's conventions: base units in the name ({@code _seconds}, {@code _bytes}),
 * counters ending in {@code _total} (the exposition adds it to the names below).
 */
final class CourierCollector implements MultiCollector {
    private final Supplier<ServerStats.Snapshot> snapshots;
    private final MonitoredServer server;

    /** {@code snapshots} may answer null (not started, or the loop never answered): then only what needs no loop. */
    CourierCollector(Supplier<ServerStats.Snapshot> snapshots, MonitoredServer server) {
        this.snapshots = snapshots;
        this.server = server;
    }

    @Override
    public MetricSnapshots collect() {
        List<MetricSnapshot> metrics = new ArrayList<>();
        metrics.add(InfoSnapshot.builder().name("courier_build").help("The server's version")
                .dataPoint(InfoSnapshot.InfoDataPointSnapshot.builder()
                        .labels(Labels.of("version", BuildInfo.version())).build()).build());
        metrics.add(gauge("courier_loop_stall_seconds", "Seconds since the event loop last ran its 100 ms probe: "
                + "about 0.1 while it turns, growing while it is stuck", server.nanosSinceLoopAlive() / 1e9));
        ServerStats.Snapshot s = snapshots.get();
        if (s == null) {
            return new MetricSnapshots(metrics);
        }
        metrics.add(gauge("courier_uptime_seconds", "Seconds since the server started", s.uptimeMillis() / 1e3));
        metrics.add(gauge("courier_connections_open", "Open client connections", s.connectionsOpen()));
        metrics.add(counter("courier_connections", "Connections accepted since start", s.connectionsTotal()));
        metrics.add(counter("courier_connections_rejected", "Connections turned away at max-connections",
                s.connectionsRejected()));
        metrics.add(counter("courier_messages_in", "Messages received", s.messagesIn()));
        metrics.add(counter("courier_messages_out", "Messages sent (replies and events)", s.messagesOut()));
        metrics.add(counter("courier_bytes_in", "Bytes received", s.bytesIn()));
        metrics.add(counter("courier_bytes_out", "Bytes sent", s.bytesOut()));
        CounterSnapshot.Builder errors = CounterSnapshot.builder().name("courier_errors")
                .help("Error replies and events by code");
        for (Map.Entry<ErrorCode, Long> error : s.errors().entrySet()) {
            errors.dataPoint(counterPoint(error.getValue(), Labels.of("code", error.getKey().wireName())));
        }
        metrics.add(errors.build());
        CounterSnapshot.Builder closes = CounterSnapshot.builder().name("courier_closes")
                .help("Closed connections by reason (slow_consumer: closed for not reading its replies)");
        for (Map.Entry<CloseReason, Long> close : s.closes().entrySet()) {
            Labels reason = Labels.of("reason", StatsReport.reasonName(close.getKey()));
            closes.dataPoint(counterPoint(close.getValue(), reason));
        }
        metrics.add(closes.build());
        addRequests(metrics, s.requests());
        metrics.add(HistogramSnapshot.builder().name("courier_loop_lag_seconds")
                .help("How late the event loop ran its timer, measured every 100 ms")
                .dataPoint(histogramPoint(s.loopLag(), Labels.EMPTY)).build());
        metrics.add(gauge("courier_loop_lag_max_seconds", "The worst event-loop lag since start",
                s.maxLoopLagNanos() / 1e9));
        metrics.add(GaugeSnapshot.builder().name("courier_buffered_bytes")
                .help("Bytes held now, all connections: input in partial messages, replies not yet written")
                .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(s.bufferedInputBytes())
                        .labels(Labels.of("buffer", "input")).build())
                .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(s.queuedReplyBytes())
                        .labels(Labels.of("buffer", "replies")).build()).build());
        metrics.add(counter("courier_tls_handshakes", "TLS handshakes completed", s.tls().handshakes()));
        metrics.add(counter("courier_tls_handshake_failures", "TLS handshakes that failed (not TLS, a refused "
                + "protocol or certificate, garbage) or never finished", s.tls().handshakeFailures()));
        metrics.add(gauge("courier_write_queue_max_bytes", "The most reply bytes one connection has had waiting "
                + "since start (bounded by slow-consumer-bytes)", s.maxConnectionQueuedBytes()));
        metrics.add(counter("courier_log_dropped", "Log lines dropped because the log could not keep up",
                s.droppedLogLines()));
        ServerStats.Cluster cluster = s.cluster();
        metrics.add(InfoSnapshot.builder().name("courier_cluster")
                .help("The cluster link: state off (no --cluster), connecting, connected or disconnected")
                .dataPoint(InfoSnapshot.InfoDataPointSnapshot.builder().labels(Labels.of("state", cluster.state(),
                        "instance", cluster.instance() == null ? "" : cluster.instance())).build()).build());
        metrics.add(gauge("courier_cluster_connected", "1 while the cluster link to Redis is up, else 0",
                cluster.state().equals("connected") ? 1 : 0));
        metrics.add(counter("courier_cluster_link_losses", "Times a working cluster link to Redis was lost",
                cluster.linkLosses()));
        return new MetricSnapshots(metrics);
    }

    private static void addRequests(List<MetricSnapshot> metrics, Map<String, RequestMetrics.Snapshot> requests) {
        CounterSnapshot.Builder counts = CounterSnapshot.builder().name("courier_requests")
                .help("Requests by type and outcome (code: ok, an error code, or other)");
        HistogramSnapshot.Builder durations = HistogramSnapshot.builder().name("courier_request_duration_seconds")
                .help("From a request's last byte read to its reply queued, by type");
        for (Map.Entry<String, RequestMetrics.Snapshot> type : requests.entrySet()) {
            for (Map.Entry<String, Long> outcome : type.getValue().outcomes().entrySet()) {
                counts.dataPoint(counterPoint(outcome.getValue(), Labels.of("type", type.getKey(), "code",
                        outcome.getKey())));
            }
            durations.dataPoint(histogramPoint(type.getValue().duration(), Labels.of("type", type.getKey())));
        }
        metrics.add(counts.build());
        metrics.add(durations.build());
    }

    private static GaugeSnapshot gauge(String name, String help, double value) {
        return GaugeSnapshot.builder().name(name).help(help)
                .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(value).build()).build();
    }

    private static CounterSnapshot counter(String name, String help, long value) {
        return CounterSnapshot.builder().name(name).help(help).dataPoint(counterPoint(value, Labels.EMPTY)).build();
    }

    private static CounterSnapshot.CounterDataPointSnapshot counterPoint(long value, Labels labels) {
        return CounterSnapshot.CounterDataPointSnapshot.builder().value(value).labels(labels).build();
    }

    private static HistogramSnapshot.HistogramDataPointSnapshot histogramPoint(LatencyHistogram.Snapshot histogram,
                                                                              Labels labels) {
        double[] bounds = Arrays.copyOf(histogram.upperBoundsSeconds(), histogram.upperBoundsSeconds().length + 1);
        bounds[bounds.length - 1] = Double.POSITIVE_INFINITY;
        return HistogramSnapshot.HistogramDataPointSnapshot.builder()
                .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, histogram.counts()))
                .sum(histogram.sumSeconds()).labels(labels).build();
    }
}
