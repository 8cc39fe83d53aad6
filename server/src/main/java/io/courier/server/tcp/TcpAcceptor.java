package io.courier.server.tcp;

import io.courier.server.loop.ChannelHandler;
import io.courier.server.loop.EventLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;

/**
 * Accepts TCP connections on one listening socket, a bounded batch per loop turn. When accept fails (typically
 * EMFILE: out of file descriptors) it stops listening for a while instead of spinning on a socket that stays
 * ready, and tries again with a growing pause until descriptors free up.
 */
public final class TcpAcceptor implements ChannelHandler {
    private static final Logger log = LoggerFactory.getLogger(TcpAcceptor.class);
    private static final long MIN_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Connections connections;
    private final EventLoop loop;
    private final ServerSocketChannel server;
    private final InetSocketAddress localAddress;
    private SelectionKey key;
    private long backoffNanos;

    private TcpAcceptor(Connections connections, ServerSocketChannel server) throws IOException {
        this.connections = connections;
        this.loop = connections.loop;
        this.server = server;
        this.localAddress = (InetSocketAddress) server.getLocalAddress();
    }

    /** Binds the listening socket now (so bind errors surface to the caller); accepting starts at {@link #register}. */
    public static TcpAcceptor bind(Connections connections, InetSocketAddress address, int backlog)
            throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open();
        try {
            // Restarting right after a stop must not fail on connections still in TIME_WAIT.
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            server.bind(address, backlog);
            server.configureBlocking(false);
            return new TcpAcceptor(connections, server);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    public InetSocketAddress localAddress() {
        return localAddress;
    }

    /** Starts accepting. Loop thread only. */
    public void register() throws IOException {
        key = loop.register(server, SelectionKey.OP_ACCEPT, this);
    }

    @Override
    public void onReady(SelectionKey readyKey) {
        int batch = connections.config.acceptBatch();
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
            backoffNanos = 0;
            open(channel);
        }
    }

    private void open(SocketChannel channel) {
        try {
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, connections.config.tcpNoDelay());
            new Connection(connections, channel).register();
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
        backoffNanos = backoffNanos == 0 ? MIN_BACKOFF_NANOS : Math.min(MAX_BACKOFF_NANOS, backoffNanos * 2);
        log.warn("Accepting failed ({}); pausing accepts for {} ms. If this says 'Too many open files', raise the "
                + "descriptor limit (ulimit -n) or lower the connection count", cause.getMessage(),
                TimeUnit.NANOSECONDS.toMillis(backoffNanos));
        key.interestOps(0);
        loop.schedule(backoffNanos, () -> {
            if (key.isValid()) {
                key.interestOps(SelectionKey.OP_ACCEPT);
            }
        });
    }

    /** Stops accepting and frees the port. Loop thread only. */
    public void close() {
        if (key != null) {
            key.cancel();
        }
        try {
            server.close();
        } catch (IOException e) {
            log.warn("Closing the listening socket {} failed", localAddress, e);
        }
    }
}
