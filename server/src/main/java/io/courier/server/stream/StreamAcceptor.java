package io.courier.server.stream;

import io.courier.server.loop.Listener;
import io.courier.server.config.ListenerSpec;
import io.courier.server.loop.ChannelHandler;
import io.courier.server.loop.EventLoop;
import io.courier.server.loop.ReusePort;
import io.courier.server.transport.TransportFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;

/**
 * Accepts stream connections (TCP, TLS or Unix domain) on one listening socket, a bounded batch per loop turn. At the
 * connection limit a new client gets a {@code busy} error and is closed. When accept itself fails (typically
 * EMFILE: out of file descriptors) the acceptor stops listening for a while instead of spinning on a socket that
 * stays ready, and retries with a growing pause until descriptors free up.
 */
public final class StreamAcceptor implements ChannelHandler, Listener {
    private static final Logger log = LoggerFactory.getLogger(StreamAcceptor.class);
    private static final long MIN_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Connections connections;
    private final EventLoop loop;
    private final ListenerSpec spec;
    private final ServerSocketChannel server;
    private final TransportFactory transports;
    private final SocketAddress localAddress;
    private SelectionKey key;
    private long backoffNanos;

    private StreamAcceptor(Connections connections, ListenerSpec spec, ServerSocketChannel server,
                           TransportFactory transports) throws IOException {
        this.connections = connections;
        this.loop = connections.context.loop;
        this.spec = spec;
        this.server = server;
        this.transports = transports;
        this.localAddress = server.getLocalAddress();
    }

    /**
     * Binds the listening socket now, so bind errors surface to the caller; accepting starts at register(). Each
     * accepted connection gets its bytes through a transport from {@code transports} (plain, or TLS).
     */
    public static StreamAcceptor bind(Connections connections, ListenerSpec spec, TransportFactory transports)
            throws IOException {
        ServerSocketChannel server = spec.transport() == ListenerSpec.Transport.UNIX
                ? UnixSocketFiles.openAndBind(spec)
                : openTcp(spec);
        try {
            server.configureBlocking(false);
            return new StreamAcceptor(connections, spec, server, transports);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    private static ServerSocketChannel openTcp(ListenerSpec spec) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open();
        try {
            ListenerSpec.SocketOptions options = spec.options();
            // Restarting right after a stop must not fail on connections still in TIME_WAIT.
            server.setOption(StandardSocketOptions.SO_REUSEADDR, options.reuseAddress());
            ReusePort.apply(server, options.reusePort());
            if (options.receiveBufferBytes() > 0) {
                // Set before bind so accepted sockets inherit it and TCP window scaling can use it.
                server.setOption(StandardSocketOptions.SO_RCVBUF, options.receiveBufferBytes());
            }
            server.bind(spec.socketAddress(), options.backlog());
            return server;
        } catch (IOException | RuntimeException e) {
            server.close();
            throw new IOException("cannot listen on " + spec + ": " + e.getMessage(), e);
        }
    }

    @Override
    public SocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public ListenerSpec spec() {
        return spec;
    }

    @Override
    public void register() throws IOException {
        key = loop.register(server, SelectionKey.OP_ACCEPT, this);
    }

    @Override
    public void onReady(SelectionKey readyKey) {
        int batch = connections.context.config.acceptBatch();
        for (int i = 0; i < batch; i++) {
            SocketChannel channel;
            try {
                channel = server.accept();
            } catch (IOException e) {
                backOff(e);
                return;
            }
            if (channel == null) {
                break;
            }
            if (backoffNanos != 0) {
                log.warn("Accepting on {} works again", spec);
                backoffNanos = 0;
            }
            open(channel);
        }
    }

    private void open(SocketChannel channel) {
        try {
            channel.configureBlocking(false);
            if (spec.transport().overTcp()) {
                ListenerSpec.SocketOptions options = spec.options();
                channel.setOption(StandardSocketOptions.TCP_NODELAY, options.tcpNoDelay());
                channel.setOption(StandardSocketOptions.SO_KEEPALIVE, options.keepAlive());
                if (options.sendBufferBytes() > 0) {
                    channel.setOption(StandardSocketOptions.SO_SNDBUF, options.sendBufferBytes());
                }
            }
            Connection connection = new Connection(connections, channel, spec.transport(), transports);
            if (connections.size() >= connections.context.config.maxConnections()) {
                connection.rejectBusy();
            } else {
                connection.register();
            }
        } catch (IOException e) {
            // The client went away between connect and accept: nothing to serve.
            log.debug("A connection failed while being set up: {}", e.toString());
            try {
                channel.close();
            } catch (IOException ignored) {
                // already gone
            }
        }
    }

    private void backOff(IOException cause) {
        if (backoffNanos == 0) {
            // Once per episode: retries are logged at debug level, recovery at warn.
            log.warn("Accepting on {} failed ({}); pausing accepts and retrying every {}..{} ms. If this says 'Too "
                    + "many open files', raise the descriptor limit (ulimit -n) or lower max-connections", spec,
                    cause.getMessage(), TimeUnit.NANOSECONDS.toMillis(MIN_BACKOFF_NANOS),
                    TimeUnit.NANOSECONDS.toMillis(MAX_BACKOFF_NANOS));
        } else {
            log.debug("Accepting on {} still fails: {}", spec, cause.getMessage());
        }
        backoffNanos = backoffNanos == 0 ? MIN_BACKOFF_NANOS : Math.min(MAX_BACKOFF_NANOS, backoffNanos * 2);
        key.interestOps(0);
        loop.schedule(backoffNanos, () -> {
            if (key.isValid()) {
                key.interestOps(SelectionKey.OP_ACCEPT);
            }
        });
    }

    /** Stops accepting and frees the address (and a Unix socket's file). */
    @Override
    public void close() {
        if (key != null) {
            key.cancel();
        }
        try {
            server.close();
        } catch (IOException e) {
            log.warn("Closing the listening socket {} failed", spec, e);
        }
        if (spec.transport() == ListenerSpec.Transport.UNIX) {
            UnixSocketFiles.delete(spec.path());
        }
    }
}
