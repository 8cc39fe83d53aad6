package io.courier.bench.peer;

import java.net.InetSocketAddress;

/** A running peer server: where it listens, and how to stop it. Closing is idempotent and waits for the stop. */
public interface PeerServer extends AutoCloseable {
    /** The bound address (the real port when started on port 0). */
    InetSocketAddress localAddress();

    /** Stops accepting, closes every client connection and releases the server's threads. */
    @Override
    void close();
}
