package io.courier.server.tls;

import io.courier.protocol.tls.TlsBuffers;
import io.courier.server.metrics.ServerStats;
import io.courier.server.transport.Transport;
import io.courier.server.transport.TransportFactory;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.concurrent.Executor;

/**
 * Opens a {@link TlsTransport} for each connection a {@code tls:} listener accepts, with an engine from the current
 * {@link TlsContextHolder} context: after a reload, new connections get the new certificate while open ones keep
 * theirs. One factory per event loop: the scratch buffers are that loop's.
 */
public final class TlsTransportFactory implements TransportFactory {
    private final TlsContextHolder contexts;
    private final TlsBuffers buffers;
    private final Executor workers;
    private final Executor loop;
    private final ServerStats stats;

    /**
     * @param readBufferBytes the loop's read buffer size: the most ciphertext read at once
     * @param workers         runs the engines' delegated tasks (the server's worker pool)
     * @param loop            the event loop, where a transport resumes after its tasks
     */
    public TlsTransportFactory(TlsContextHolder contexts, int readBufferBytes, Executor workers, Executor loop,
                               ServerStats stats) {
        this.contexts = contexts;
        this.buffers = new TlsBuffers(readBufferBytes);
        this.workers = workers;
        this.loop = loop;
        this.stats = stats;
    }

    @Override
    public Transport open(SocketChannel channel, Transport.Resume resume) throws IOException {
        return new TlsTransport(channel, contexts.current(), buffers, workers, loop, stats, resume);
    }
}
