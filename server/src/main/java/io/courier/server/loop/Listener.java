package io.courier.server.loop;

import io.courier.server.config.ListenerSpec;

import java.io.IOException;
import java.net.SocketAddress;

/** A bound socket the event loop serves: a stream acceptor or a datagram endpoint. */
public interface Listener {
    /** What was configured. */
    ListenerSpec spec();

    /** The bound address (with the real port when port 0 was asked for). */
    SocketAddress localAddress();

    /** Starts serving. Loop thread only. */
    void register() throws IOException;

    /** Stops serving and frees the address. Loop thread only. */
    void close();
}
