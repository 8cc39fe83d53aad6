package io.courier.server.builtin;

import io.courier.server.api.Handler;
import io.courier.server.api.Session;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.courier.protocol.ErrorCode;
import io.courier.protocol.Message;
import io.courier.server.metrics.CloseReason;
import io.courier.server.metrics.ServerStats;

import java.util.Locale;
import java.util.Map;

/** {@code stats}: the server's counters, read on the loop thread that writes them. */
final class StatsHandler implements Handler {
    private final ServerStats stats;

    StatsHandler(ServerStats stats) {
        this.stats = stats;
    }

    @Override
    public String type() {
        return "stats";
    }

    @Override
    public String description() {
        return "Counters: connections, messages and bytes in and out, errors by code, closes by reason, "
                + "bytes buffered, the cluster link, event-loop lag, uptime.";
    }

    @Override
    public Message handle(Message request, Session session) {
        ServerStats.Snapshot s = stats.snapshot();
        Message reply = Message.replyTo(request).with("uptime_ms", s.uptimeMillis());
        ObjectNode header = reply.header();
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
            closes.put(close.getKey().name().toLowerCase(Locale.ROOT), close.getValue());
        }
        header.putObject("buffered_bytes").put("input", s.bufferedInputBytes()).put("replies", s.queuedReplyBytes());
        ObjectNode cluster = header.putObject("cluster").put("state", s.cluster().state())
                .put("link_losses", s.cluster().linkLosses());
        if (s.cluster().instance() != null) {
            cluster.put("instance", s.cluster().instance());
        }
        header.putObject("loop_lag_ms").put("last", s.loopLagNanos() / 1e6).put("max", s.maxLoopLagNanos() / 1e6);
        return reply;
    }
}
