package io.courier.server;

import io.courier.server.handler.Dispatcher;
import io.courier.server.handler.Handler;
import io.courier.server.handler.HandlerRegistry;
import io.courier.server.loop.EventLoop;
import io.courier.server.metrics.CloseReason;
import io.courier.server.metrics.ServerStats;
import io.courier.server.tcp.Connections;
import io.courier.server.tcp.TcpAcceptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
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
public final class Server implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Server.class);

    private final ServerConfig config;
    private final HandlerRegistry registry;
    private final ServerStats stats = new ServerStats();
    private EventLoop loop;
    private Connections connections;
    private TcpAcceptor acceptor;
    private volatile boolean shuttingDown;

    private Server(ServerConfig config, HandlerRegistry registry) {
        this.config = config;
        this.registry = registry;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Binds the port and starts the loop. Bind failures (port in use, bad address) are thrown here. */
    public synchronized Server start() throws IOException {
        if (loop != null) {
            throw new IllegalStateException("already started");
        }
        EventLoop newLoop = new EventLoop("courier-loop", config.readBufferBytes());
        Connections connections = new Connections(newLoop, config, new Dispatcher(registry), stats);
        acceptor = TcpAcceptor.bind(connections, new InetSocketAddress(config.host(), config.port()),
                config.backlog());
        this.connections = connections;
        loop = newLoop;
        CompletableFuture<Void> registered = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                acceptor.register();
                registered.complete(null);
            } catch (IOException e) {
                registered.completeExceptionally(e);
            }
        });
        loop.start();
        await(registered);
        log.info("Listening on {} (binary frames and JSON text); types: {}", acceptor.localAddress(),
                registry.types());
        return this;
    }

    public InetSocketAddress localAddress() {
        return acceptor.localAddress();
    }

    public int port() {
        return localAddress().getPort();
    }

    public ServerConfig config() {
        return config;
    }

    /** The counters as of now, read on the loop thread; after the loop has stopped, its final counters. */
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
            log.info("Shutting down: no new connections; draining {} open connection(s) for up to {} ms",
                    connections.size(), drainTimeout.toMillis());
            acceptor.close();
            connections.closeAllAfterFlush(CloseReason.SHUTDOWN);
            connections.whenEmpty(loop::stop);
            loop.schedule(drainTimeout.toNanos(), () -> {
                connections.closeAllNow(CloseReason.SHUTDOWN);
                loop.stop();
            });
        });
        awaitLoop(drainTimeout);
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

    /** Collects the configuration and handlers; the built-in types are always there. */
    public static final class Builder {
        private ServerConfig config = ServerConfig.defaults();
        private final HandlerRegistry registry = HandlerRegistry.withBuiltins();

        private Builder() {
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

        public Server build() {
            return new Server(config, registry);
        }
    }
}
