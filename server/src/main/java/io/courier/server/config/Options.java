package io.courier.server.config;

import io.courier.server.logging.ConnectionLog;

import io.courier.server.tls.ClientAuth;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/** The table of every service option: its name, value, default and meaning, and how it applies. */
final class Options {
    private Options() {
    }

    static final List<Option> ALL = List.of(
            new Option("listen", "ADDRESS", "one TCP listener on host:port",
                    "listener, repeatable: [tcp:]HOST:PORT, [::]:PORT, tls:HOST:PORT, udp:HOST:PORT, unix:/path; "
                            + "options after commas, e.g. tcp:[::]:6666,backlog=512 or unix:/run/courier.sock,mode=660",
                    (s, v) -> {
                        // Parsed now, so a wrong spec is reported with its source (flag, variable or file key)
                        // rather than later, by the whole-config check, as a garbled "--mode must be ..." sentence.
                        ListenerSpec.parse(v, ListenerSpec.SocketOptions.DEFAULTS);
                        s.server.listen(v);
                    }),
            new Option("host", "ADDRESS", "127.0.0.1",
                    "address of the default TCP listener (0.0.0.0 or :: for every interface)",
                    (s, v) -> s.server.host(v)),
            new Option("port", "PORT", "6666", "port of the default TCP listener, 0 for any free one",
                    (s, v) -> s.server.port(port("port", v))),
            new Option("backlog", "N", "1024", "pending-connection queue of each listening socket",
                    (s, v) -> s.server.backlog(Values.integer("backlog", v))),
            new Option("tcp-no-delay", "BOOL", "true", "disable Nagle's algorithm on client sockets",
                    (s, v) -> s.server.tcpNoDelay(Values.bool("tcp-no-delay", v))),
            new Option("keep-alive", "BOOL", "true", "TCP keep-alive probes on client sockets (SO_KEEPALIVE)",
                    (s, v) -> s.server.keepAlive(Values.bool("keep-alive", v))),
            new Option("rcvbuf", "SIZE", "OS default", "socket receive buffer (SO_RCVBUF)",
                    (s, v) -> s.server.receiveBufferBytes(Values.intSize("rcvbuf", v))),
            new Option("sndbuf", "SIZE", "OS default", "socket send buffer (SO_SNDBUF)",
                    (s, v) -> s.server.sendBufferBytes(Values.intSize("sndbuf", v))),
            new Option("reuse-address", "BOOL", "true",
                    "SO_REUSEADDR, so a restart can bind while old connections sit in TIME_WAIT",
                    (s, v) -> s.server.reuseAddress(Values.bool("reuse-address", v))),
            new Option("max-connections", "N", "10000",
                    "open connections at most; one more gets a busy error and is closed",
                    (s, v) -> s.server.maxConnections(Values.integer("max-connections", v))),
            new Option("idle-timeout", "DURATION", "5m",
                    "close a connection silent this long (timeout error first); 0 = never",
                    (s, v) -> s.server.idleTimeout(Values.duration("idle-timeout", v))),
            new Option("frame-timeout", "DURATION", "30s",
                    "close a connection whose message stays partial this long (slowloris); 0 = never",
                    (s, v) -> s.server.frameTimeout(Values.duration("frame-timeout", v))),
            new Option("max-header-bytes", "SIZE", "1MiB", "largest header, or JSON-text message (max 16MiB-1)",
                    (s, v) -> s.server.maxHeaderBytes(Values.intSize("max-header-bytes", v))),
            new Option("max-body-bytes", "SIZE", "16MiB", "largest binary body",
                    (s, v) -> s.server.maxBodyBytes(Values.intSize("max-body-bytes", v))),
            new Option("read-buffer-bytes", "SIZE", "64KiB", "the event loop's one shared read buffer",
                    (s, v) -> s.server.readBufferBytes(Values.intSize("read-buffer-bytes", v))),
            new Option("read-budget-bytes", "SIZE", "one read buffer", "bytes read from one client per loop turn",
                    (s, v) -> s.server.readBudgetBytes(Values.intSize("read-budget-bytes", v))),
            new Option("write-high-watermark", "SIZE", "1MiB",
                    "unsent reply bytes above which a client is no longer read",
                    (s, v) -> s.server.writeHighWatermark(Values.size("write-high-watermark", v))),
            new Option("write-low-watermark", "SIZE", "256KiB", "unsent bytes below which reading resumes",
                    (s, v) -> s.server.writeLowWatermark(Values.size("write-low-watermark", v))),
            new Option("slow-consumer-bytes", "SIZE", "64MiB",
                    "unsent bytes above which a client that does not read is closed",
                    (s, v) -> s.server.slowConsumerBytes(Values.size("slow-consumer-bytes", v))),
            new Option("worker-threads", "N", "16", "threads that run blocking handlers (file I/O and the like)",
                    (s, v) -> s.server.workerThreads(Values.integer("worker-threads", v))),
            new Option("worker-queue", "N", "1024",
                    "connections that may wait for a worker; past that blocking requests get a busy error",
                    (s, v) -> s.server.workerQueue(Values.integer("worker-queue", v))),
            new Option("max-in-flight", "N", "64",
                    "blocking requests one client may have in flight before it is no longer read",
                    (s, v) -> s.server.maxInFlight(Values.integer("max-in-flight", v))),
            new Option("accept-batch", "N", "64", "connections accepted per loop turn",
                    (s, v) -> s.server.acceptBatch(Values.integer("accept-batch", v))),
            new Option("drain-timeout", "DURATION", "5s",
                    "at shutdown, how long in-flight requests and queued replies may take",
                    (s, v) -> s.server.drainTimeout(Values.duration("drain-timeout", v))),
            new Option("files-dir", "DIR", "files", "the one directory file.put stores files in",
                    (s, v) -> s.server.filesDir(Path.of(v))),
            new Option("max-file-bytes", "SIZE", "1GiB", "largest file file.put accepts",
                    (s, v) -> s.server.maxFileBytes(Values.size("max-file-bytes", v))),
            new Option("max-files-bytes", "SIZE", "10GiB",
                    "most bytes all stored files may take together, partial uploads included",
                    (s, v) -> s.server.maxFilesBytes(Values.size("max-files-bytes", v))),
            new Option("partial-max-age", "DURATION", "24h",
                    "delete a partial upload nobody has resumed for this long; 0 = keep forever",
                    (s, v) -> s.server.partialMaxAge(Values.duration("partial-max-age", v))),
            new Option("plugins", "DIR", "none",
                    "load handler plugins (ServiceLoader) from every *.jar in DIR at start-up",
                    (s, v) -> s.server.pluginsDir(Path.of(v))),
            new Option("ws-allowed-origins", "ORIGINS", "none",
                    "web pages allowed to open a WebSocket besides the server's own page (always allowed): "
                            + "comma-separated origins (https://app.example.com), or * for any",
                    (s, v) -> s.server.wsAllowedOrigins(origins(v))),
            new Option("log-level", "LEVEL", "INFO", "TRACE, DEBUG, INFO, WARN, ERROR or OFF",
                    (s, v) -> s.logLevel = logLevel(v)),
            new Option("log-dir", "DIR", "none, console only",
                    "also log to DIR/courier.log, rolled daily and at 100MB, 14 days kept",
                    (s, v) -> s.logDir = Path.of(v)),
            new Option("metrics-port", "PORT", "off",
                    "serve Prometheus metrics at http://HOST:PORT/metrics, health at /healthz and /readyz",
                    (s, v) -> s.metricsPort = port("metrics-port", v)),
            new Option("metrics-host", "ADDRESS", "127.0.0.1", "address of the metrics endpoint",
                    (s, v) -> s.metricsHost = v),
            new Option("users", "FILE", "none",
                    "users file (names, token hashes, grants); without it only loopback listeners are served",
                    (s, v) -> s.server.usersFile(Path.of(v))),
            new Option("allow-anonymous", "BOOL", "false",
                    "without --users, serve listeners other machines can reach anyway, with no authentication",
                    (s, v) -> s.server.allowAnonymous(Values.bool("allow-anonymous", v))),
            new Option("max-rooms-per-connection", "N", "100", "rooms one connection may be in at once",
                    (s, v) -> s.server.clientLimits(l -> l.withMaxRoomsPerConnection(
                            Values.integer("max-rooms-per-connection", v)))),
            new Option("max-members-per-room", "N", "1000", "members one room may have",
                    (s, v) -> s.server.clientLimits(l -> l.withMaxMembersPerRoom(
                            Values.integer("max-members-per-room", v)))),
            new Option("max-rooms", "N", "10000", "rooms that may exist at once, all clients together",
                    (s, v) -> s.server.clientLimits(l -> l.withMaxRooms(Values.integer("max-rooms", v)))),
            new Option("max-uploads-per-connection", "N", "4", "file.put uploads one connection may have open",
                    (s, v) -> s.server.clientLimits(l -> l.withMaxUploadsPerConnection(
                            Values.integer("max-uploads-per-connection", v)))),
            new Option("max-buffered-bytes", "SIZE", "a quarter of the heap",
                    "partial input plus unsent replies, all connections together; past it the biggest holders "
                            + "are closed",
                    (s, v) -> s.server.clientLimits(l -> l.withMaxBufferedBytes(
                            Values.size("max-buffered-bytes", v)))),
            new Option("port-file", "FILE", "none",
                    "once bound, write each listener's address to FILE, one 'KIND ADDRESS' line each",
                    (s, v) -> s.portFile = Path.of(v)),
            new Option("connection-log", "LEVEL", "debug",
                    "level of the per-connection lines (connected, disconnected, timed out): info, debug or off",
                    (s, v) -> s.server.connectionLog(ConnectionLog.Level.parse("connection-log", v))),
            new Option("loop-stall-timeout", "DURATION", "5s",
                    "/healthz answers 503 once the event loop has not turned for this long",
                    (s, v) -> s.loopStallTimeout = positive("loop-stall-timeout",
                            Values.duration("loop-stall-timeout", v))),
            new Option("tls-cert", "FILE", "none",
                    "certificate chain of the tls: listeners, PEM, leaf first (certbot's fullchain.pem)",
                    (s, v) -> s.server.tlsCert(Path.of(v))),
            new Option("tls-key", "FILE", "none", "private key of that certificate, PEM PKCS#8 (certbot's privkey.pem)",
                    (s, v) -> s.server.tlsKey(Path.of(v))),
            new Option("tls-keystore", "FILE", "none", "a PKCS#12 keystore with key and chain, instead of those two",
                    (s, v) -> s.server.tlsKeystore(Path.of(v))),
            new Option("tls-keystore-password", "SECRET", "none",
                    "password of the keystore; prefer the environment variable to the command line",
                    (s, v) -> s.server.tlsKeystorePassword(v)),
            new Option("tls-client-ca", "FILE", "none", "CA certificate(s), PEM, that sign client certificates",
                    (s, v) -> s.server.tlsClientCa(Path.of(v))),
            new Option("tls-client-auth", "MODE", "none",
                    "none, optional or require a client certificate signed by tls-client-ca (mutual TLS)",
                    (s, v) -> s.server.tlsClientAuth(ClientAuth.parse(v))),
            new Option("room-history", "N", "100",
                    "last messages kept per room, replayed to a room.join with since; 0 = none",
                    (s, v) -> s.server.rooms(r -> r.withHistory(Values.integer("room-history", v)))),
            new Option("room-history-bytes", "SIZE", "64MiB",
                    "most memory all rooms' histories take together (single instance; the oldest go first)",
                    (s, v) -> s.server.rooms(r -> r.withHistoryBytes(Values.size("room-history-bytes", v)))),
            new Option("cluster", "URI", "none",
                    "share rooms with every instance using this Redis: redis://HOST:PORT[/DB]",
                    (s, v) -> s.server.rooms(r -> r.withCluster(RoomsConfig.clusterUri(v)))),
            new Option("cluster-timeout", "DURATION", "10s",
                    "a dead instance's members leave every room within this time",
                    (s, v) -> s.server.rooms(r -> r.withClusterTimeout(Values.duration("cluster-timeout", v)))));

    static Option find(String name) {
        for (Option option : ALL) {
            if (option.name().equals(name)) {
                return option;
            }
        }
        return null;
    }

    private static int port(String name, String value) {
        int port = Values.integer(name, value);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(name + " must be 0..65535, got " + value);
        }
        return port;
    }

    private static List<String> origins(String value) {
        List<String> origins = new java.util.ArrayList<>();
        for (String part : value.split(",")) {
            String origin = part.trim();
            if (origin.isEmpty()) {
                continue;
            }
            if (!origin.equals("*") && !origin.matches("[A-Za-z][A-Za-z0-9+.-]*://[^/\\s]+/?")) {
                throw new IllegalArgumentException("ws-allowed-origins takes origins such as https://app.example.com"
                        + " (scheme://host[:port]) or *, got '" + origin + "'");
            }
            origins.add(origin);
        }
        return origins;
    }

    private static Duration positive(String name, Duration value) {
        if (value.isZero()) {
            throw new IllegalArgumentException(name + " must be more than 0, got 0");
        }
        return value;
    }

    private static String logLevel(String value) {
        String level = value.trim().toUpperCase(Locale.ROOT);
        if (!List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF").contains(level)) {
            throw new IllegalArgumentException("log-level must be TRACE, DEBUG, INFO, WARN, ERROR or OFF, got '"
                    + value + "'");
        }
        return level;
    }
}
