package io.courier.server.support;

import io.courier.server.Server;
import io.courier.server.config.ServerConfig;
import io.courier.server.api.Handler;

import java.io.IOException;
import java.time.Duration;

/** Starts real servers on 127.0.0.1, port 0, for loopback tests. Callers close them (try-with-resources). */
public final class TestServers {
    /** Generous, for a shared 2-core machine: a reply that takes longer than this is a failure, not noise. */
    public static final Duration REPLY_TIMEOUT = Duration.ofSeconds(10);

    private TestServers() {
    }

    /** A config builder bound to 127.0.0.1 on a free port, with a short drain so tests stop quickly. */
    public static ServerConfig.Builder config() {
        return ServerConfig.builder().host("127.0.0.1").port(0).drainTimeout(Duration.ofSeconds(2));
    }

    /** A server with the default limits and the built-in handlers plus {@code handlers}. */
    public static Server start(Handler... handlers) throws IOException {
        return start(config().build(), handlers);
    }

    public static Server start(ServerConfig config, Handler... handlers) throws IOException {
        Server.Builder builder = Server.builder().config(config);
        for (Handler handler : handlers) {
            builder.handler(handler);
        }
        return builder.build().start();
    }
}
