package io.courier.server.builtin;

import io.courier.server.api.Handler;
import io.courier.server.api.Session;

import io.courier.protocol.Message;
import io.courier.server.metrics.ServerStats;
import io.courier.server.metrics.StatsReport;

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
        return "Counters: connections, messages and bytes in and out, errors by code, closes by reason, requests "
                + "and their latency by type, bytes buffered, the cluster link, event-loop lag, uptime, version.";
    }

    @Override
    public Message handle(Message request, Session session) {
        Message reply = Message.replyTo(request);
        StatsReport.render(stats.snapshot(), reply.header());
        return reply;
    }
}
