package io.courier.bench.peer;

import java.net.InetSocketAddress;
import java.util.Optional;

/** A running peer server: where it listens, and how to stop it. Closing is idempotent and waits for the stop. */
public interface PeerServer extends AutoCloseable {
    /** The bound address (the real port when started on port 0). */
    InetSocketAddress localAddress();

    /** The TLS listener's address, when the server was started with a certificate (only the Netty peer can be). */
    default Optional<InetSocketAddress> tlsAddress() {
        return Optional.empty();
    }

    /** Stops accepting, closes every client connection and releases the server's threads. */
    @Override
    void close();
}
