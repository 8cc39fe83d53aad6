package io.courier.server.support;

import io.courier.server.Server;
import io.courier.server.config.ServerConfig;
import io.courier.server.config.ServerConfigBuilder;
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
    public static ServerConfigBuilder config() {
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
    /** A config builder on 127.0.0.1 with a free port and the default drain (service tests time the drain). */
    public static ServerConfigBuilder loopback() {
        return ServerConfig.builder().host("127.0.0.1").port(0);
    }

    /** A server with the built-in handlers, the probe {@code whoami} and {@code handlers}. */
    public static Server startProbed(ServerConfig config, Handler... handlers) throws IOException {
        Handler[] all = java.util.Arrays.copyOf(handlers, handlers.length + 1);
        all[handlers.length] = new ProbeHandlers.WhoAmI();
        return start(config, all);
    }

    public static Server startProbed(ServerConfigBuilder config, Handler... handlers) throws IOException {
        return startProbed(config.build(), handlers);
    }

    /** A port that was free a moment ago (for tests that need a fixed port, e.g. a restart on the same one). */
    public static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new java.net.InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** {@code {"type":"ping","id":ID}} as JSON text. */
    public static String pingText(int id) {
        return "{\"type\":\"ping\",\"id\":" + id + "}\n";
    }

    /** A ping as a message (for binary frames). */
    public static io.courier.protocol.Message ping(int id) {
        return io.courier.protocol.Message.of("ping").with("id", id);
    }
}
