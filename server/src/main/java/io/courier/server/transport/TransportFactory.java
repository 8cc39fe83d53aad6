package io.courier.server.transport;

import java.io.IOException;
import java.nio.channels.SocketChannel;

/** Opens the transport of each accepted connection of one listener: plain TCP, or TLS, say. */
@FunctionalInterface
public interface TransportFactory {
    /** Plain bytes: the socket itself. */
    TransportFactory PLAIN = (channel, resume) -> new PlainTransport(channel);

    /**
     * @param channel the accepted, non-blocking socket
     * @param resume  what to call, on the loop, when the transport can make progress after work done elsewhere
     */
    Transport open(SocketChannel channel, Transport.Resume resume) throws IOException;
}
