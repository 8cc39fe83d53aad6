package io.courier.server;

import io.courier.protocol.Limits;
import io.courier.server.files.FilesConfig;

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
    private final int backlog;
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
    private final boolean tcpNoDelay;
    private final int workerThreads;
    private final int workerQueue;
    private final int maxInFlight;
    private final FilesConfig files;
    private final Path pluginsDir;

    private ServerConfig(Builder b) {
        this.host = b.host;
        this.port = b.port;
        this.backlog = b.backlog;
        this.socketOptions = b.socketOptions();
        this.listeners = b.resolveListeners(socketOptions);
        this.maxConnections = b.maxConnections;
        this.idleTimeout = b.idleTimeout;
        this.frameTimeout = b.frameTimeout;
        this.limits = new Limits(b.maxHeaderBytes, b.maxBodyBytes);
        this.readBufferBytes = b.readBufferBytes;
        this.readBudgetBytes = b.readBudgetBytes;
        this.writeHighWatermark = b.writeHighWatermark;
        this.writeLowWatermark = b.writeLowWatermark;
        this.slowConsumerBytes = b.slowConsumerBytes;
        this.acceptBatch = b.acceptBatch;
        this.drainTimeout = b.drainTimeout;
        this.tcpNoDelay = b.tcpNoDelay;
        this.workerThreads = b.workerThreads;
        this.workerQueue = b.workerQueue;
        this.maxInFlight = b.maxInFlight;
        this.files = b.files;
        this.pluginsDir = b.pluginsDir;
    }

    public static Builder builder() {
        return new Builder();
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

    public int backlog() {
        return backlog;
    }

    public Limits limits() {
        return limits;
    }

    /** Size of the loop's one shared read buffer, and the most one read takes from a socket. */
    public int readBufferBytes() {
        return readBufferBytes;
    }

    /** Bytes read from one connection per loop turn before others get their turn. */
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

    public boolean tcpNoDelay() {
        return tcpNoDelay;
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

    /** The first TCP listener, or null: what {@code Server.port()} reports. */
    ListenerSpec firstTcpListener() {
        return listeners.stream().filter(l -> l.transport() == ListenerSpec.Transport.TCP).findFirst().orElse(null);
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.host = host;
        b.port = port;
        b.backlog = backlog;
        b.listen.clear();
        b.specs.addAll(listeners);
        b.keepAlive = socketOptions.keepAlive();
        b.receiveBufferBytes = socketOptions.receiveBufferBytes();
        b.sendBufferBytes = socketOptions.sendBufferBytes();
        b.reuseAddress = socketOptions.reuseAddress();
        b.maxConnections = maxConnections;
        b.idleTimeout = idleTimeout;
        b.frameTimeout = frameTimeout;
        b.maxHeaderBytes = limits.maxHeaderBytes();
        b.maxBodyBytes = limits.maxBodyBytes();
        b.readBufferBytes = readBufferBytes;
        b.readBudgetBytes = readBudgetBytes;
        b.writeHighWatermark = writeHighWatermark;
        b.writeLowWatermark = writeLowWatermark;
        b.slowConsumerBytes = slowConsumerBytes;
        b.acceptBatch = acceptBatch;
        b.drainTimeout = drainTimeout;
        b.tcpNoDelay = tcpNoDelay;
        b.workerThreads = workerThreads;
        b.workerQueue = workerQueue;
        b.maxInFlight = maxInFlight;
        b.files = files;
        b.pluginsDir = pluginsDir;
        return b;
    }

    /** Collects options; {@link #build()} checks them together and names the first wrong one. */
    public static final class Builder {
        private String host = DEFAULT_HOST;
        private int port = DEFAULT_PORT;
        private int backlog = 1024;
        private final List<String> listen = new ArrayList<>();
        private final List<ListenerSpec> specs = new ArrayList<>();
        private boolean keepAlive = true;
        private int receiveBufferBytes;
        private int sendBufferBytes;
        private boolean reuseAddress = true;
        private int maxConnections = 10_000;
        private Duration idleTimeout = Duration.ofMinutes(5);
        private Duration frameTimeout = Duration.ofSeconds(30);
        private int maxHeaderBytes = Limits.DEFAULT_MAX_HEADER_BYTES;
        private int maxBodyBytes = Limits.DEFAULT_MAX_BODY_BYTES;
        private int readBufferBytes = 64 * 1024;
        private int readBudgetBytes = 256 * 1024;
        private long writeHighWatermark = 1 << 20;
        private long writeLowWatermark = 256 * 1024;
        private long slowConsumerBytes = 64L << 20;
        private int acceptBatch = 64;
        private Duration drainTimeout = Duration.ofSeconds(5);
        private boolean tcpNoDelay = true;
        private int workerThreads = 16;
        private int workerQueue = 1024;
        private int maxInFlight = 64;
        private FilesConfig files = FilesConfig.DEFAULTS;
        private Path pluginsDir;

        private Builder() {
        }

        public Builder host(String value) {
            host = value;
            return this;
        }

        public Builder port(int value) {
            port = value;
            return this;
        }

        public Builder backlog(int value) {
            backlog = value;
            return this;
        }

        /**
         * Adds a listener in text form ({@code [tcp:]HOST:PORT}, {@code udp:HOST:PORT}, {@code unix:/path}, with
         * optional {@code ,name=value} socket options). Without any, the server listens on host:port over TCP.
         */
        public Builder listen(String spec) {
            listen.add(spec);
            return this;
        }

        public Builder listen(ListenerSpec spec) {
            specs.add(spec);
            return this;
        }

        /** Forgets every listener added so far (a command line replacing the config file's list). */
        public Builder clearListeners() {
            listen.clear();
            specs.clear();
            return this;
        }

        public Builder keepAlive(boolean value) {
            keepAlive = value;
            return this;
        }

        public Builder receiveBufferBytes(int value) {
            receiveBufferBytes = value;
            return this;
        }

        public Builder sendBufferBytes(int value) {
            sendBufferBytes = value;
            return this;
        }

        public Builder reuseAddress(boolean value) {
            reuseAddress = value;
            return this;
        }

        public Builder maxConnections(int value) {
            maxConnections = value;
            return this;
        }

        public Builder idleTimeout(Duration value) {
            idleTimeout = value;
            return this;
        }

        public Builder frameTimeout(Duration value) {
            frameTimeout = value;
            return this;
        }

        public Builder maxHeaderBytes(int value) {
            maxHeaderBytes = value;
            return this;
        }

        public Builder maxBodyBytes(int value) {
            maxBodyBytes = value;
            return this;
        }

        public Builder readBufferBytes(int value) {
            readBufferBytes = value;
            return this;
        }

        public Builder readBudgetBytes(int value) {
            readBudgetBytes = value;
            return this;
        }

        public Builder writeHighWatermark(long value) {
            writeHighWatermark = value;
            return this;
        }

        public Builder writeLowWatermark(long value) {
            writeLowWatermark = value;
            return this;
        }

        public Builder slowConsumerBytes(long value) {
            slowConsumerBytes = value;
            return this;
        }

        public Builder acceptBatch(int value) {
            acceptBatch = value;
            return this;
        }

        public Builder drainTimeout(Duration value) {
            drainTimeout = value;
            return this;
        }

        public Builder workerThreads(int value) {
            workerThreads = value;
            return this;
        }

        public Builder workerQueue(int value) {
            workerQueue = value;
            return this;
        }

        public Builder maxInFlight(int value) {
            maxInFlight = value;
            return this;
        }

        public Builder tcpNoDelay(boolean value) {
            tcpNoDelay = value;
            return this;
        }

        public Builder files(FilesConfig value) {
            files = value;
            return this;
        }

        public Builder filesDir(Path value) {
            files = files.withDir(value);
            return this;
        }

        public Builder maxFileBytes(long value) {
            files = files.withMaxFileBytes(value);
            return this;
        }

        public Builder maxFilesBytes(long value) {
            files = files.withMaxTotalBytes(value);
            return this;
        }

        public Builder partialMaxAge(Duration value) {
            files = files.withPartialMaxAge(value);
            return this;
        }

        /** Loads handler plugins from every {@code *.jar} in this directory at start-up; null for none. */
        public Builder pluginsDir(Path value) {
            pluginsDir = value;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the option, the value and what is allowed
         */
        public ServerConfig build() {
            require(host != null && !host.isBlank(), "host must be an address or name, got '" + host + "'");
            require(port >= 0 && port <= 65535, "port must be 0..65535, got " + port);
            require(backlog >= 1, "backlog must be 1 or more, got " + backlog);
            require(maxConnections >= 1, "max-connections must be 1 or more, got " + maxConnections);
            require(idleTimeout != null && !idleTimeout.isNegative(),
                    "idle-timeout must be 0 (never) or more, got " + idleTimeout);
            require(frameTimeout != null && !frameTimeout.isNegative(),
                    "frame-timeout must be 0 (never) or more, got " + frameTimeout);
            require(readBufferBytes >= 1024 && readBufferBytes <= (64 << 20),
                    "read-buffer-bytes must be 1024..67108864, got " + readBufferBytes);
            require(readBudgetBytes >= readBufferBytes,
                    "read-budget-bytes must be at least read-buffer-bytes " + readBufferBytes + ", got "
                            + readBudgetBytes);
            require(writeLowWatermark >= 0 && writeLowWatermark < writeHighWatermark,
                    "write-low-watermark must be 0..write-high-watermark-1 (" + (writeHighWatermark - 1) + "), got "
                            + writeLowWatermark);
            require(slowConsumerBytes > writeHighWatermark,
                    "slow-consumer-bytes must exceed write-high-watermark " + writeHighWatermark + ", got "
                            + slowConsumerBytes);
            require(workerThreads >= 1 && workerThreads <= 1024,
                    "worker-threads must be 1..1024, got " + workerThreads);
            require(workerQueue >= 1, "worker-queue must be 1 or more, got " + workerQueue);
            require(maxInFlight >= 1, "max-in-flight must be 1 or more, got " + maxInFlight);
            require(acceptBatch >= 1, "accept-batch must be 1 or more, got " + acceptBatch);
            require(drainTimeout != null && !drainTimeout.isNegative(),
                    "drain-timeout must be 0 or more, got " + drainTimeout);
            require(pluginsDir == null || java.nio.file.Files.isDirectory(pluginsDir),
                    "plugins must be a directory of plugin jars, got '" + pluginsDir + "', which is not one");
            return new ServerConfig(this);
        }

        private ListenerSpec.SocketOptions socketOptions() {
            return new ListenerSpec.SocketOptions(backlog, tcpNoDelay, keepAlive, receiveBufferBytes,
                    sendBufferBytes, reuseAddress, null);
        }

        private List<ListenerSpec> resolveListeners(ListenerSpec.SocketOptions defaults) {
            List<ListenerSpec> all = new ArrayList<>(specs);
            for (String text : listen) {
                all.add(ListenerSpec.parse(text, defaults));
            }
            if (all.isEmpty()) {
                all.add(new ListenerSpec(ListenerSpec.Transport.TCP, host, port, null, defaults));
            }
            return List.copyOf(all);
        }

        private static void require(boolean condition, String sentence) {
            if (!condition) {
                throw new IllegalArgumentException(sentence);
            }
        }
    }
}
