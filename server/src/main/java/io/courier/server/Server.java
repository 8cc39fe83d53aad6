package io.courier.server;

import io.courier.server.config.ListenerSpec;
import io.courier.server.config.ClientLimits;
import io.courier.server.config.ServerConfig;
import io.courier.server.loop.Listener;

import io.courier.server.auth.Access;
import io.courier.server.auth.AuthHandler;
import io.courier.server.dispatch.Admission;
import io.courier.server.dispatch.Dispatcher;
import io.courier.server.api.Handler;
import io.courier.server.dispatch.HandlerRegistry;
import io.courier.server.loop.EventLoop;
import io.courier.server.metrics.CloseReason;
import io.courier.server.metrics.MonitoredServer;
import io.courier.server.metrics.ServerState;
import io.courier.server.metrics.ServerStats;
import io.courier.server.stream.ConnectionContext;
import io.courier.server.stream.Connections;
import io.courier.server.tls.TlsContextHolder;
import io.courier.server.tls.TlsTransportFactory;
import io.courier.server.transport.TransportFactory;
import io.courier.server.stream.StreamAcceptor;
import io.courier.server.web.OriginPolicy;
import io.courier.server.web.WebAssets;
import io.courier.server.web.WebSite;
import io.courier.server.datagram.DatagramEndpoint;
import io.courier.server.files.FileHandlers;
import io.courier.server.plugins.Plugins;
import io.courier.server.cluster.ClusterRoomService;
import io.courier.server.rooms.LocalRoomService;
import io.courier.server.rooms.RoomHandlers;
import io.courier.server.rooms.RoomService;
import io.courier.protocol.Message;
import io.courier.server.builtin.BuiltinHandlers;
import io.courier.server.dispatch.WorkerPool;
import io.courier.server.loop.LoopLagProbe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A message server: one event loop thread serving every client of its listening socket.
 *
 * <pre>{@code
 * try (Server server = Server.builder().config(ServerConfig.builder().port(0).build())
 *         .handler(new MyHandler()).build().start()) {
 *     int port = server.port();
 * }
 * }</pre>
 */
public final class Server implements AutoCloseable, MonitoredServer {
    private static final Logger log = LoggerFactory.getLogger(Server.class);

    private final ServerConfig config;
    private final HandlerRegistry registry;
    private final ServerStats stats;
    private final Plugins plugins;
    private final Access access;
    private final RoomService rooms;
    private final TlsContextHolder tls;
    private final List<Listener> listeners = new ArrayList<>();
    private EventLoop loop;
    private WorkerPool workers;
    private Connections connections;
    private volatile boolean shuttingDown;
    private volatile boolean accepting;

    private Server(ServerConfig config, HandlerRegistry registry, ServerStats stats, Plugins plugins,
                   Access access, TlsContextHolder tls,
                   RoomService rooms) {
        this.rooms = rooms;
        this.config = config;
        this.tls = tls;
        this.registry = registry;
        this.stats = stats;
        this.plugins = plugins;
        this.access = access;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Binds every listener and starts the loop. Bind failures (address in use, bad address) are thrown here. */
    public synchronized Server start() throws IOException {
        if (loop != null) {
            throw new IllegalStateException("already started");
        }
        EventLoop newLoop = new EventLoop("courier-loop", config.readBufferBytes());
        workers = new WorkerPool(config.workerThreads(), config.workerQueue());
        Dispatcher dispatcher = new Dispatcher(registry, workers, newLoop, access != null ? access : Admission.OPEN,
                stats);
        Connections newConnections = new Connections(new ConnectionContext(newLoop, config, dispatcher, stats,
                new WebSite(WebAssets.load(), new OriginPolicy(config.wsAllowedOrigins()))));
        TransportFactory tlsTransports = tls == null ? null : new TlsTransportFactory(tls,
                config.readBufferBytes(), handshakeTasks(workers), newLoop, stats);
        try {
            for (ListenerSpec spec : config.listeners()) {
                listeners.add(spec.transport() == ListenerSpec.Transport.UDP
                        ? DatagramEndpoint.bind(newLoop, config, dispatcher, stats, spec)
                        : StreamAcceptor.bind(newConnections, spec, spec.transport() == ListenerSpec.Transport.TLS
                        ? tlsTransports : TransportFactory.PLAIN));
            }
        } catch (IOException | RuntimeException e) {
            listeners.forEach(Listener::close);
            listeners.clear();
            throw e;
        }
        connections = newConnections;
        loop = newLoop;
        CompletableFuture<Void> registered = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                for (Listener listener : listeners) {
                    listener.register();
                }
                connections.startTimeoutSweep();
                rooms.start(loop, stats);
                LoopLagProbe.start(loop, stats);
                registered.complete(null);
            } catch (IOException e) {
                registered.completeExceptionally(e);
            }
        });
        loop.start();
        await(registered);
        plugins.logLoaded();
        for (Listener listener : listeners) {
            log.info("Listening on {} ({}; binary frames and JSON text)", listener.localAddress(), listener.spec());
        }
        if (tls != null) {
            log.info("TLS: {}", tls.current().describe());
        }
        log.info("Serving types {}", registry.types());
        if (registry.find("file.put") != null) {
            log.info("Files directory {}", config.files().dir().toAbsolutePath().normalize());
        }
        accepting = true;
        return this;
    }

    /**
     * The TLS engines' delegated tasks (key exchange, signatures, certificate checks) on the worker pool, each in
     * a lane of its own; when the pool is full they run where they are submitted, on the loop, rather than fail.
     */
    private static java.util.concurrent.Executor handshakeTasks(WorkerPool workers) {
        return task -> workers.newLane().submit(new WorkerPool.Job() {
            @Override
            public void run() {
                task.run();
            }

            @Override
            public void rejected() {
                task.run();
            }
        });
    }

    /** The TLS context holder of the tls: listeners, for a reload of the certificate files; null without TLS. */
    public TlsContextHolder tls() {
        return tls;
    }

    @Override
    public ServerState state() {
        EventLoop current = loop;
        if (current != null && current.isTerminated()) {
            return ServerState.STOPPED;
        }
        if (shuttingDown) {
            return ServerState.DRAINING;
        }
        return accepting ? ServerState.ACCEPTING : ServerState.STARTING;
    }

    @Override
    public String clusterState() {
        return stats.cluster().state();
    }

    @Override
    public long nanosSinceLoopAlive() {
        return stats.nanosSinceLoopAlive();
    }

    /** The address of the first TCP listener (with the real port when port 0 was asked for). */
    public InetSocketAddress localAddress() {
        for (Listener listener : listeners) {
            if (listener.spec().transport() == ListenerSpec.Transport.TCP) {
                return (InetSocketAddress) listener.localAddress();
            }
        }
        throw new IllegalStateException("no TCP listener");
    }

    /** Every bound address, in the order of the configured listeners. */
    public List<SocketAddress> localAddresses() {
        List<SocketAddress> addresses = new ArrayList<>();
        listeners.forEach(listener -> addresses.add(listener.localAddress()));
        return addresses;
    }

    public int port() {
        return localAddress().getPort();
    }

    public ServerConfig config() {
        return config;
    }

    /** Who may do what (the users file, reloadable), or null when the server has no users. */
    public Access access() {
        return access;
    }

    /** The counters as of now, read on the loop thread; after the loop has stopped, its final counters. */
    @Override
    public ServerStats.Snapshot stats() {
        CompletableFuture<ServerStats.Snapshot> snapshot = new CompletableFuture<>();
        loop.execute(() -> snapshot.complete(stats.snapshot()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!snapshot.isDone() && System.nanoTime() - deadline < 0) {
            if (loop.isTerminated()) {
                // No loop will run the task: the counters are final, and the loop's end happened-before this read.
                return snapshot.isDone() ? snapshot.join() : stats.snapshot();
            }
            try {
                return snapshot.get(50, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                // check whether the loop has stopped, then wait again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        }
        if (snapshot.isDone()) {
            return snapshot.join();
        }
        throw new IllegalStateException("the event loop did not answer within 30 s");
    }

    /**
     * Stops accepting, lets every connection write the replies it has queued (up to {@code drainTimeout}), closes
     * them and ends the loop. Returns once the loop has stopped. Safe to call more than once, from any thread.
     */
    public void shutdown(Duration drainTimeout) {
        synchronized (this) {
            if (loop == null || shuttingDown) {
                awaitLoop(drainTimeout);
                return;
            }
            shuttingDown = true;
        }
        loop.execute(() -> {
            // The deadline first: whatever goes wrong below, the loop still stops when the drain time is up.
            loop.schedule(drainTimeout.toNanos(), () -> {
                connections.closeAllNow(CloseReason.SHUTDOWN);
                loop.stop();
            });
            log.info("Shutting down: no new connections; draining {} open connection(s) for up to {} ms",
                    connections.size(), drainTimeout.toMillis());
            listeners.forEach(Listener::close);
            Message notice = Message.of("server.closing").with("drain_timeout_ms", drainTimeout.toMillis());
            connections.closeAllAfterFlush(notice);
            // Every member has left by now; the rooms tidy up (the cluster link says goodbye) before the loop ends.
            connections.whenEmpty(() -> rooms.stop(loop::stop));
        });
        awaitLoop(drainTimeout);
        workers.shutdown(1000);
        plugins.close();
        log.info("Stopped");
    }

    private void awaitLoop(Duration drainTimeout) {
        try {
            if (loop != null && !loop.awaitTermination(drainTimeout.toMillis() + 5_000, TimeUnit.MILLISECONDS)) {
                log.warn("The event loop did not stop in time");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Blocks until the server has stopped (after {@link #shutdown} or a fatal loop failure). */
    public void awaitTermination() throws InterruptedException {
        loop.awaitTermination(Long.MAX_VALUE, TimeUnit.DAYS);
    }

    public boolean isShuttingDown() {
        return shuttingDown;
    }

    /** {@link #shutdown} with the configured drain timeout. */
    @Override
    public void close() {
        shutdown(config.drainTimeout());
    }

    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException) {
                throw new UncheckedIOException((IOException) cause);
            }
            throw new IllegalStateException(cause);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the event loop did not answer within 30 s", e);
        }
    }

    /**
     * Collects the configuration and handlers. The built-in types are always there: ping, echo, types, stats, the
     * file.* types over the configured files directory and the room.* types; then every plugin handler found on
     * the class path or in the configured plugins directory.
     */
    public static final class Builder {
        private ServerConfig config = ServerConfig.defaults();
        private final ServerStats stats = new ServerStats();
        private final HandlerRegistry registry = new HandlerRegistry();
        private boolean built;

        private Builder() {
            BuiltinHandlers.create(registry, stats).forEach(registry::register);
        }

        public Builder config(ServerConfig value) {
            config = value;
            return this;
        }

        /** Adds a handler for its type; a type served twice is an error. */
        public Builder handler(Handler handler) {
            registry.register(handler);
            return this;
        }

        /**
         * @throws IllegalArgumentException when two handlers serve one type (a plugin clashing with a built-in
         *                                  type, say), or a plugin cannot be loaded
         */
        public Server build() {
            if (built) {
                throw new IllegalStateException("build() makes one server per builder");
            }
            built = true;
            // First: a wrong certificate or key file stops the start before plugins are loaded.
            TlsContextHolder tls = config.tls() == null ? null : new TlsContextHolder(config.tls());
            Access access = config.usersFile() == null ? null : Access.load(config.usersFile());
            if (access != null) {
                registry.register(new AuthHandler(access));
            }
            ClientLimits limits = config.clientLimits();
            FileHandlers.create(config.files(), config.limits().maxBodyBytes(), limits.maxUploadsPerConnection())
                    .forEach(registry::register);
            RoomService rooms = config.rooms().cluster() == null ? new LocalRoomService(limits, config.rooms())
                    : new ClusterRoomService(limits, config.rooms());
            RoomHandlers.create(rooms).forEach(registry::register);
            ClassLoader context = Thread.currentThread().getContextClassLoader();
            Plugins plugins = Plugins.load(config.pluginsDir(), context != null ? context
                    : Server.class.getClassLoader());
            try {
                for (Handler plugin : plugins.handlers()) {
                    Handler existing = registry.find(plugin.type());
                    if (existing != null) {
                        throw new IllegalArgumentException("plugin " + Plugins.origin(plugin) + " serves type '"
                                + plugin.type() + "', which " + existing.getClass().getName() + " already serves; "
                                + "each type has one handler");
                    }
                    registry.register(plugin);
                }
            } catch (RuntimeException e) {
                plugins.close();
                throw e;
            }
            return new Server(config, registry, stats, plugins, access, tls, rooms);
        }
    }
}
