package io.courier.server.service;

import io.courier.protocol.Message;
import io.courier.server.Server;
import io.courier.server.config.ServerConfig;
import io.courier.server.api.Handler;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Starting in-process servers for tests: on loopback, port 0 unless a test says otherwise. */
public final class Servers {
    private Servers() {
    }

    /** A config builder on 127.0.0.1 with a free port. */
    public static ServerConfig.Builder loopback() {
        return ServerConfig.builder().host("127.0.0.1").port(0);
    }

    /** Starts a server with the built-in handlers, the given extra ones and {@code whoami}. */
    public static Server start(ServerConfig config, Handler... handlers) throws IOException {
        Server.Builder builder = Server.builder().config(config).handler(new ProbeHandlers.WhoAmI());
        for (Handler handler : handlers) {
            builder.handler(handler);
        }
        return builder.build().start();
    }

    public static Server start(ServerConfig.Builder config, Handler... handlers) throws IOException {
        return start(config.build(), handlers);
    }

    /** A port that was free a moment ago (for tests that need a fixed port, e.g. a restart on the same one). */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code {"type":"ping","id":ID}} as JSON text. */
    public static String pingText(int id) {
        return "{\"type\":\"ping\",\"id\":" + id + "}\n";
    }

    /** A ping as a message (for binary frames). */
    public static Message ping(int id) {
        return Message.of("ping").with("id", id);
    }
}
