package io.courier.server.builtin;

import io.courier.server.api.Handler;
import io.courier.server.dispatch.HandlerRegistry;
import io.courier.server.metrics.ServerStats;

import java.util.List;

/** The built-in types of PROTOCOL.md that every server serves: ping, echo, types and stats. */
public final class BuiltinHandlers {
    private BuiltinHandlers() {
    }

    /** The handlers; {@code types} lists whatever {@code registry} holds when it is asked. */
    public static List<Handler> create(HandlerRegistry registry, ServerStats stats) {
        return List.of(new PingHandler(), new EchoHandler(), new TypesHandler(registry), new StatsHandler(stats));
    }
}
