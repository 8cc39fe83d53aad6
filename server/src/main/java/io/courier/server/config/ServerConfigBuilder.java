package io.courier.server.config;

import io.courier.protocol.Limits;
import io.courier.server.files.FilesConfig;
import io.courier.server.logging.ConnectionLog;
import io.courier.server.tls.ClientAuth;
import io.courier.server.tls.TlsSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Collects a {@link ServerConfig}'s options; {@link #build()} checks them together and names the first wrong one. */
public final class ServerConfigBuilder {
    /** The socket options' defaults are stated once, in {@link ListenerSpec.SocketOptions#DEFAULTS}. */
    private static final ListenerSpec.SocketOptions SOCKET_DEFAULTS = ListenerSpec.SocketOptions.DEFAULTS;

    String host = ServerConfig.DEFAULT_HOST;
    int port = ServerConfig.DEFAULT_PORT;
    int backlog = SOCKET_DEFAULTS.backlog();
    final List<String> listen = new ArrayList<>();
    final List<ListenerSpec> specs = new ArrayList<>();
    boolean keepAlive = SOCKET_DEFAULTS.keepAlive();
    int receiveBufferBytes = SOCKET_DEFAULTS.receiveBufferBytes();
    int sendBufferBytes = SOCKET_DEFAULTS.sendBufferBytes();
    boolean reuseAddress = SOCKET_DEFAULTS.reuseAddress();
    int maxConnections = 10_000;
    Duration idleTimeout = Duration.ofMinutes(5);
    Duration frameTimeout = Duration.ofSeconds(30);
    int maxHeaderBytes = Limits.DEFAULT_MAX_HEADER_BYTES;
    int maxBodyBytes = Limits.DEFAULT_MAX_BODY_BYTES;
    int readBufferBytes = 64 * 1024;
    /** 0: one read buffer's worth, whatever read-buffer-bytes is. */
    int readBudgetBytes = 0;
    long writeHighWatermark = 1 << 20;
    long writeLowWatermark = 256 * 1024;
    long slowConsumerBytes = 64L << 20;
    int acceptBatch = 64;
    Duration drainTimeout = Duration.ofSeconds(5);
    boolean tcpNoDelay = SOCKET_DEFAULTS.tcpNoDelay();
    int workerThreads = 16;
    int workerQueue = 1024;
    int maxInFlight = 64;
    FilesConfig files = FilesConfig.DEFAULTS;
    Path pluginsDir;
    Path usersFile;
    List<String> wsAllowedOrigins = List.of();
    boolean allowAnonymous;
    ClientLimits clientLimits = ClientLimits.DEFAULTS;
    RoomsConfig rooms = RoomsConfig.DEFAULTS;
    ConnectionLog.Level connectionLog = ConnectionLog.Level.DEBUG;
    Path tlsCert;
    Path tlsKey;
    Path tlsKeystore;
    String tlsKeystorePassword;
    Path tlsClientCa;
    ClientAuth tlsClientAuth = ClientAuth.NONE;

    ServerConfigBuilder() {
    }

    public ServerConfigBuilder host(String value) {
        host = value;
        return this;
    }

    public ServerConfigBuilder port(int value) {
        port = value;
        return this;
    }

    public ServerConfigBuilder backlog(int value) {
        backlog = value;
        return this;
    }

    /**
     * Adds a listener in text form ({@code [tcp:]HOST:PORT}, {@code udp:HOST:PORT}, {@code unix:/path}, with
     * optional {@code ,name=value} socket options). Without any, the server listens on host:port over TCP.
     */
    public ServerConfigBuilder listen(String spec) {
        listen.add(spec);
        return this;
    }

    public ServerConfigBuilder listen(ListenerSpec spec) {
        specs.add(spec);
        return this;
    }

    /** Forgets every listener added so far (a command line replacing the config file's list). */
    public ServerConfigBuilder clearListeners() {
        listen.clear();
        specs.clear();
        return this;
    }

    public ServerConfigBuilder keepAlive(boolean value) {
        keepAlive = value;
        return this;
    }

    public ServerConfigBuilder receiveBufferBytes(int value) {
        receiveBufferBytes = value;
        return this;
    }

    public ServerConfigBuilder sendBufferBytes(int value) {
        sendBufferBytes = value;
        return this;
    }

    public ServerConfigBuilder reuseAddress(boolean value) {
        reuseAddress = value;
        return this;
    }

    public ServerConfigBuilder maxConnections(int value) {
        maxConnections = value;
        return this;
    }

    public ServerConfigBuilder idleTimeout(Duration value) {
        idleTimeout = value;
        return this;
    }

    public ServerConfigBuilder frameTimeout(Duration value) {
        frameTimeout = value;
        return this;
    }

    public ServerConfigBuilder maxHeaderBytes(int value) {
        maxHeaderBytes = value;
        return this;
    }

    public ServerConfigBuilder maxBodyBytes(int value) {
        maxBodyBytes = value;
        return this;
    }

    public ServerConfigBuilder readBufferBytes(int value) {
        readBufferBytes = value;
        return this;
    }

    public ServerConfigBuilder readBudgetBytes(int value) {
        readBudgetBytes = value;
        return this;
    }

    public ServerConfigBuilder writeHighWatermark(long value) {
        writeHighWatermark = value;
        return this;
    }

    public ServerConfigBuilder writeLowWatermark(long value) {
        writeLowWatermark = value;
        return this;
    }

    public ServerConfigBuilder slowConsumerBytes(long value) {
        slowConsumerBytes = value;
        return this;
    }

    public ServerConfigBuilder acceptBatch(int value) {
        acceptBatch = value;
        return this;
    }

    public ServerConfigBuilder drainTimeout(Duration value) {
        drainTimeout = value;
        return this;
    }

    public ServerConfigBuilder workerThreads(int value) {
        workerThreads = value;
        return this;
    }

    public ServerConfigBuilder workerQueue(int value) {
        workerQueue = value;
        return this;
    }

    public ServerConfigBuilder maxInFlight(int value) {
        maxInFlight = value;
        return this;
    }

    public ServerConfigBuilder tcpNoDelay(boolean value) {
        tcpNoDelay = value;
        return this;
    }

    public ServerConfigBuilder files(FilesConfig value) {
        files = value;
        return this;
    }

    public ServerConfigBuilder filesDir(Path value) {
        files = files.withDir(value);
        return this;
    }

    public ServerConfigBuilder maxFileBytes(long value) {
        files = files.withMaxFileBytes(value);
        return this;
    }

    public ServerConfigBuilder maxFilesBytes(long value) {
        files = files.withMaxTotalBytes(value);
        return this;
    }

    public ServerConfigBuilder partialMaxAge(Duration value) {
        files = files.withPartialMaxAge(value);
        return this;
    }

    /** Loads handler plugins from every {@code *.jar} in this directory at start-up; null for none. */
    public ServerConfigBuilder pluginsDir(Path value) {
        pluginsDir = value;
        return this;
    }

    /** The users file (tokens and grants); null serves everyone without authentication. */
    /** Origins (https://app.example.com) allowed to open a WebSocket besides the server's own page; * for any. */
    public ServerConfigBuilder wsAllowedOrigins(List<String> value) {
        wsAllowedOrigins = value;
        return this;
    }

    public ServerConfigBuilder usersFile(Path value) {
        usersFile = value;
        return this;
    }

    /** Without a users file, serve listeners other machines can reach anyway (refused otherwise). */
    public ServerConfigBuilder allowAnonymous(boolean value) {
        allowAnonymous = value;
        return this;
    }

    /** Changes the per-client bounds, e.g. {@code clientLimits(l -> l.withMaxRooms(10))}. */
    public ServerConfigBuilder clientLimits(java.util.function.UnaryOperator<ClientLimits> change) {
        clientLimits = change.apply(clientLimits);
        return this;
    }

    /** Changes room history and the cluster link, e.g. {@code rooms(r -> r.withHistory(0))}. */
    public ServerConfigBuilder rooms(java.util.function.UnaryOperator<RoomsConfig> change) {
        rooms = change.apply(rooms);
        return this;
    }

    /** The level of the per-connection log lines; {@code DEBUG} by default, so busy servers log readably. */
    public ServerConfigBuilder connectionLog(ConnectionLog.Level value) {
        connectionLog = Objects.requireNonNull(value, "connection-log");
        return this;
    }

    /** The certificate chain (PEM, leaf first) of the tls: listeners. */
    public ServerConfigBuilder tlsCert(Path value) {
        tlsCert = value;
        return this;
    }

    /** The private key (PEM PKCS#8) of that certificate. */
    public ServerConfigBuilder tlsKey(Path value) {
        tlsKey = value;
        return this;
    }

    /** A PKCS#12 keystore with key and chain, instead of tlsCert and tlsKey. */
    public ServerConfigBuilder tlsKeystore(Path value) {
        tlsKeystore = value;
        return this;
    }

    public ServerConfigBuilder tlsKeystorePassword(String value) {
        tlsKeystorePassword = value;
        return this;
    }

    /** The CA certificate(s) that sign client certificates, for mutual TLS. */
    public ServerConfigBuilder tlsClientCa(Path value) {
        tlsClientCa = value;
        return this;
    }

    public ServerConfigBuilder tlsClientAuth(ClientAuth value) {
        tlsClientAuth = value;
        return this;
    }

    /** All TLS settings at once (a test, say). */
    public ServerConfigBuilder tls(TlsSettings value) {
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

    /**
     * @throws IllegalArgumentException naming the option, the value and what is allowed (see ConfigRules)
     */
    public ServerConfig build() {
        ConfigRules.check(this);
        return new ServerConfig(this);
    }

    ListenerSpec.SocketOptions socketOptions() {
        return new ListenerSpec.SocketOptions(backlog, tcpNoDelay, keepAlive, receiveBufferBytes,
                sendBufferBytes, reuseAddress, null);
    }

    List<ListenerSpec> resolveListeners(ListenerSpec.SocketOptions defaults) {
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
