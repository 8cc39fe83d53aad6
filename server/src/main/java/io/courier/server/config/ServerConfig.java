package io.courier.server.config;

import io.courier.protocol.Limits;
import io.courier.server.files.FilesConfig;
import io.courier.server.tls.ClientAuth;
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
    private final TlsSettings tls;

    private ServerConfig(Builder b) {
        this.host = b.host;
        this.port = b.port;
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
        this.workerThreads = b.workerThreads;
        this.workerQueue = b.workerQueue;
        this.maxInFlight = b.maxInFlight;
        this.files = b.files;
        this.pluginsDir = b.pluginsDir;
        this.tls = listeners.stream().anyMatch(l -> l.transport() == ListenerSpec.Transport.TLS) ? b.tls() : null;
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

    /** The key, certificates and client-auth mode of the tls: listeners, or null when there is none. */
    public TlsSettings tls() {
        return tls;
    }

    /** Collects options; {@link #build()} checks them together and names the first wrong one. */
    public static final class Builder {
        String host = DEFAULT_HOST;
        int port = DEFAULT_PORT;
        int backlog = 1024;
        final List<String> listen = new ArrayList<>();
        final List<ListenerSpec> specs = new ArrayList<>();
        boolean keepAlive = true;
        int receiveBufferBytes;
        int sendBufferBytes;
        boolean reuseAddress = true;
        int maxConnections = 10_000;
        Duration idleTimeout = Duration.ofMinutes(5);
        Duration frameTimeout = Duration.ofSeconds(30);
        int maxHeaderBytes = Limits.DEFAULT_MAX_HEADER_BYTES;
        int maxBodyBytes = Limits.DEFAULT_MAX_BODY_BYTES;
        int readBufferBytes = 64 * 1024;
        int readBudgetBytes = 256 * 1024;
        long writeHighWatermark = 1 << 20;
        long writeLowWatermark = 256 * 1024;
        long slowConsumerBytes = 64L << 20;
        int acceptBatch = 64;
        Duration drainTimeout = Duration.ofSeconds(5);
        boolean tcpNoDelay = true;
        int workerThreads = 16;
        int workerQueue = 1024;
        int maxInFlight = 64;
        FilesConfig files = FilesConfig.DEFAULTS;
        Path pluginsDir;
        Path tlsCert;
        Path tlsKey;
        Path tlsKeystore;
        String tlsKeystorePassword;
        Path tlsClientCa;
        ClientAuth tlsClientAuth = ClientAuth.NONE;

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

        /** The certificate chain (PEM, leaf first) of the tls: listeners. */
        public Builder tlsCert(Path value) {
            tlsCert = value;
            return this;
        }

        /** The private key (PEM PKCS#8) of that certificate. */
        public Builder tlsKey(Path value) {
            tlsKey = value;
            return this;
        }

        /** A PKCS#12 keystore with key and chain, instead of tlsCert and tlsKey. */
        public Builder tlsKeystore(Path value) {
            tlsKeystore = value;
            return this;
        }

        public Builder tlsKeystorePassword(String value) {
            tlsKeystorePassword = value;
            return this;
        }

        /** The CA certificate(s) that sign client certificates, for mutual TLS. */
        public Builder tlsClientCa(Path value) {
            tlsClientCa = value;
            return this;
        }

        public Builder tlsClientAuth(ClientAuth value) {
            tlsClientAuth = value;
            return this;
        }

        /** All TLS settings at once (a test, say). */
        public Builder tls(TlsSettings value) {
            tlsCert = value.certFile();
            tlsKey = value.keyFile();
            tlsKeystore = value.keystoreFile();
            tlsKeystorePassword = value.keystorePassword();
            tlsClientCa = value.clientCaFile();
            tlsClientAuth = value.clientAuth();
            return this;
        }

        TlsSettings tls() {
            return new TlsSettings(tlsCert, tlsKey, tlsKeystore, tlsKeystorePassword, tlsClientCa, tlsClientAuth);
        }

        /** Whether a listener given so far is a tls: one (parsing the text forms; a wrong one throws here). */
        boolean anyTlsListener() {
            return specs.stream().anyMatch(spec -> spec.transport() == ListenerSpec.Transport.TLS)
                    || listen.stream().anyMatch(text -> ListenerSpec.parse(text, ListenerSpec.SocketOptions.DEFAULTS)
                    .transport() == ListenerSpec.Transport.TLS);
        }

        /**
         * @throws IllegalArgumentException naming the option, the value and what is allowed (see ConfigRules)
         */
        public ServerConfig build() {
            ConfigRules.check(this);
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

    }
}
