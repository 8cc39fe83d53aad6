package io.courier.cli.support;

import io.courier.protocol.Message;
import io.courier.protocol.client.MessageClient;
import io.courier.server.Server;
import io.courier.server.config.ServerConfig;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * A real Courier server in this JVM on 127.0.0.1, port 0, storing files in a test's directory. The only place
 * the client's tests touch server classes, so a move of the server's packages is one import here.
 */
public final class LiveServer implements AutoCloseable {
    /** Generous, for a shared 2-core machine: a reply that takes longer than this is a failure, not noise. */
    public static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final Server server;
    private final Path filesDir;

    private LiveServer(Server server, Path filesDir) {
        this.server = server;
        this.filesDir = filesDir;
    }

    public static LiveServer start(Path filesDir) throws IOException {
        ServerConfig config = ServerConfig.builder().host("127.0.0.1").port(0).filesDir(filesDir)
                .drainTimeout(Duration.ofSeconds(2)).build();
        return new LiveServer(Server.builder().config(config).build().start(), filesDir);
    }

    /** A server with a users file: only {@code ping}, {@code types} and {@code auth} until a client authenticates. */
    public static LiveServer startWithUsers(Path filesDir, Path usersFile) throws IOException {
        ServerConfig config = ServerConfig.builder().host("127.0.0.1").port(0).filesDir(filesDir)
                .usersFile(usersFile).drainTimeout(Duration.ofSeconds(2)).build();
        return new LiveServer(Server.builder().config(config).build().start(), filesDir);
    }

    public int port() {
        return server.port();
    }

    public Path filesDir() {
        return filesDir;
    }

    /** A library client of this server. */
    public MessageClient client() throws IOException {
        return MessageClient.connect("127.0.0.1", port());
    }

    /** The {@code bytes.in} counter of {@code stats}: what all clients have sent so far. */
    public long bytesIn() throws IOException, TimeoutException {
        try (MessageClient client = client()) {
            return client.callOk(Message.of("stats"), TIMEOUT).header().path("bytes").path("in").asLong();
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
