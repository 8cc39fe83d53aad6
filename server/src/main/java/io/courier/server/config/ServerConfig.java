package io.courier.server.config;

import io.courier.protocol.Limits;
import io.courier.server.files.FilesConfig;
import io.courier.server.logging.ConnectionLog;
import io.courier.server.tls.TlsSettings;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Every limit and option of a server, with safe defaults, validated as a whole when built. Immutable.
 */
public final class ServerConfig {
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 6666;

    private final String host;
    private final int port;
    private final List<ListenerSpec> listeners;
    private final ListenerSpec.SocketOptions socketOptions;
    private final int maxConnections;
    private final Duration idleTimeout;
    private final Duration frameTimeout;
    private final Limits limits;
    private final int readBufferBytes;
    private final int readBudgetBytes;
    private final long writeHighWatermark;
    private final long writeLowWatermark;
    private final long slowConsumerBytes;
    private final int acceptBatch;
    private final Duration drainTimeout;
    private final int workerThreads;
    private final int workerQueue;
    private final int maxInFlight;
    private final FilesConfig files;
    private final Path pluginsDir;
    private final Path usersFile;
    private final TlsSettings tls;
    private final ClientLimits clientLimits;
    private final RoomsConfig rooms;
    private final List<String> wsAllowedOrigins;
    private final ConnectionLog.Level connectionLog;

    ServerConfig(ServerConfigBuilder b) {
        this.host = b.host;
        this.port = b.port;
        this.socketOptions = b.socketOptions();
        this.listeners = b.resolveListeners(socketOptions);
        this.maxConnections = b.maxConnections;
        this.idleTimeout = b.idleTimeout;
        this.frameTimeout = b.frameTimeout;
        this.limits = new Limits(b.maxHeaderBytes, b.maxBodyBytes);
        this.readBufferBytes = b.readBufferBytes;
        this.readBudgetBytes = b.readBudgetBytes == 0 ? b.readBufferBytes : b.readBudgetBytes;
        this.writeHighWatermark = b.writeHighWatermark;
        this.writeLowWatermark = b.writeLowWatermark;
        this.slowConsumerBytes = b.slowConsumerBytes;
        this.acceptBatch = b.acceptBatch;
        this.drainTimeout = b.drainTimeout;
        this.workerThreads = b.workerThreads;
        this.workerQueue = b.workerQueue;
        this.maxInFlight = b.maxInFlight;
        this.files = b.files;
        this.pluginsDir = b.pluginsDir;
        this.usersFile = b.usersFile;
        this.tls = listeners.stream().anyMatch(l -> l.transport() == ListenerSpec.Transport.TLS) ? b.tls() : null;
        this.clientLimits = b.clientLimits;
        this.rooms = b.rooms;
        this.wsAllowedOrigins = List.copyOf(b.wsAllowedOrigins);
        this.connectionLog = b.connectionLog;
    }

    public static ServerConfigBuilder builder() {
        return new ServerConfigBuilder();
    }

    public static ServerConfig defaults() {
        return builder().build();
    }

    /** Every address the server listens on; by default one TCP listener on host:port. */
    public List<ListenerSpec> listeners() {
        return listeners;
    }

    /** The socket options listeners get unless their own spec overrides them. */
    public ListenerSpec.SocketOptions socketOptions() {
        return socketOptions;
    }

    /** Open connections at most; one more gets a {@code busy} error and is closed. */
    public int maxConnections() {
        return maxConnections;
    }

    /** A connection silent this long gets a {@code timeout} error and is closed; zero means never. */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /** A message still partial after this long (a slowloris client) closes the connection; zero means never. */
    public Duration frameTimeout() {
        return frameTimeout;
    }

    /** The address of the default listener; {@code 127.0.0.1} so nothing is exposed by accident. */
    public String host() {
        return host;
    }

    /** The TCP port; 0 picks a free one (see {@code Server.port()}). */
    public int port() {
        return port;
    }

    public Limits limits() {
        return limits;
    }

    /** Size of the loop's one shared read buffer, and the most one read takes from a socket. */
    public int readBufferBytes() {
        return readBufferBytes;
    }

    /**
     * Bytes read from one connection per loop turn before others get their turn, and before the turn's replies and
     * deliveries are written: by default one read buffer, so a publisher's messages fan out as they arrive.
     */
    public int readBudgetBytes() {
        return readBudgetBytes;
    }

    /** Above this many queued reply bytes, the server stops reading from that connection. */
    public long writeHighWatermark() {
        return writeHighWatermark;
    }

    /** Reading resumes when queued reply bytes fall below this. */
    public long writeLowWatermark() {
        return writeLowWatermark;
    }

    /** Above this many queued bytes, the connection is closed as a slow consumer. */
    public long slowConsumerBytes() {
        return slowConsumerBytes;
    }

    /** Connections accepted per loop turn at most, so a connect storm cannot starve served clients. */
    public int acceptBatch() {
        return acceptBatch;
    }

    /** At shutdown, how long queued replies may take to drain before connections are cut. */
    public Duration drainTimeout() {
        return drainTimeout;
    }

    /** Threads that run blocking handlers. */
    public int workerThreads() {
        return workerThreads;
    }

    /** Connections that may wait for a worker; past that, blocking requests get {@code busy}. */
    public int workerQueue() {
        return workerQueue;
    }

    /** Blocking requests one connection may have in flight before the server stops reading from it. */
    public int maxInFlight() {
        return maxInFlight;
    }

    /** The files directory and its limits, for the file.* types. */
    public FilesConfig files() {
        return files;
    }

    /** The directory whose {@code *.jar} files are searched for handler plugins at start-up, or null for none. */
    public Path pluginsDir() {
        return pluginsDir;
    }

    /** The users file; null when everyone is served without authentication. */
    public Path usersFile() {
        return usersFile;
    }

    /** The key, certificates and client-auth mode of the tls: listeners, or null when there is none. */
    public TlsSettings tls() {
        return tls;
    }

    /** What one client, and all together, can make the server hold. */
    public ClientLimits clientLimits() {
        return clientLimits;
    }

    /** Room history and the cluster link (rooms across instances over Redis). */
    public RoomsConfig rooms() {
        return rooms;
    }

    /** Web pages besides the server's own that may open a WebSocket ({@code *}: any); empty: the own page only. */
    public List<String> wsAllowedOrigins() {
        return wsAllowedOrigins;
    }

    /** The level of the per-connection log lines (connected, disconnected, ...): info, debug or off. */
    public ConnectionLog.Level connectionLog() {
        return connectionLog;
    }
}
