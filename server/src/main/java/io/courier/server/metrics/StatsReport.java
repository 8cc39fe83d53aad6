package io.courier.server.metrics;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.courier.protocol.ErrorCode;

import java.util.Locale;
import java.util.Map;

/**
 * The {@code stats} reply's fields, from one snapshot. Every field has the words of its Prometheus metric (see
 * {@link CourierCollector}): {@code messages.in} is {@code courier_messages_in_total}, {@code requests.TYPE.CODE}
 * is {@code courier_requests_total{type,code}}, {@code buffered_bytes.input} is
 * {@code courier_buffered_bytes{buffer="input"}}, {@code tls.handshake_failures} is
 * {@code courier_tls_handshake_failures_total}, {@code loop_lag_ms} is {@code courier_loop_lag_seconds}; only
 * the units differ (milliseconds here, seconds there).
 */
public final class StatsReport {
    private StatsReport() {
    }

    /** Adds every counter of {@code s} to {@code header}, the stats reply's header. */
    public static void render(ServerStats.Snapshot s, ObjectNode header) {
        header.put("uptime_ms", s.uptimeMillis());
        header.putObject("build").put("version", BuildInfo.version());
        header.putObject("connections").put("open", s.connectionsOpen()).put("total", s.connectionsTotal())
                .put("rejected", s.connectionsRejected());
        header.putObject("messages").put("in", s.messagesIn()).put("out", s.messagesOut());
        header.putObject("bytes").put("in", s.bytesIn()).put("out", s.bytesOut());
        ObjectNode errors = header.putObject("errors");
        for (Map.Entry<ErrorCode, Long> error : s.errors().entrySet()) {
            errors.put(error.getKey().wireName(), error.getValue());
        }
        ObjectNode closes = header.putObject("closes");
        for (Map.Entry<CloseReason, Long> close : s.closes().entrySet()) {
            closes.put(reasonName(close.getKey()), close.getValue());
        }
        ObjectNode lag = header.putObject("loop_lag_ms").put("last", s.loopLagNanos() / 1e6)
                .put("max", s.maxLoopLagNanos() / 1e6);
        histogram(lag, s.loopLag());
        header.putObject("buffered_bytes").put("input", s.bufferedInputBytes()).put("replies", s.queuedReplyBytes());
        header.putObject("tls").put("handshakes", s.tls().handshakes())
                .put("handshake_failures", s.tls().handshakeFailures());
        header.putObject("write_queue").put("max_bytes", s.maxConnectionQueuedBytes());
        ObjectNode requests = header.putObject("requests");
        ObjectNode durations = header.putObject("request_duration_ms");
        for (Map.Entry<String, RequestMetrics.Snapshot> type : s.requests().entrySet()) {
            ObjectNode outcomes = requests.putObject(type.getKey());
            type.getValue().outcomes().forEach(outcomes::put);
            histogram(durations.putObject(type.getKey()), type.getValue().duration());
        }
        header.putObject("log").put("dropped", s.droppedLogLines());
        ObjectNode cluster = header.putObject("cluster").put("state", s.cluster().state())
                .put("link_losses", s.cluster().linkLosses());
        if (s.cluster().instance() != null) {
            cluster.put("instance", s.cluster().instance());
        }
    }

    /** {@code count}, {@code sum} and the estimated {@code p50}, {@code p99}, in milliseconds. */
    private static void histogram(ObjectNode into, LatencyHistogram.Snapshot histogram) {
        into.put("count", histogram.count()).put("sum", histogram.sumSeconds() * 1e3)
                .put("p50", histogram.quantileSeconds(0.5) * 1e3).put("p99", histogram.quantileSeconds(0.99) * 1e3);
    }

    /** {@code slow_consumer}: the label and field name of a close reason. */
    static String reasonName(CloseReason reason) {
        return reason.name().toLowerCase(Locale.ROOT);
    }
}
