package io.courier.server.stream;

import io.courier.server.config.ListenerSpec;

import java.net.SocketAddress;
import java.util.Locale;

/** Who is at the other end of a connection: its number in the logs, transport and addresses. */
record Peer(long id, ListenerSpec.Transport transport, SocketAddress remoteAddress, SocketAddress localAddress) {

    String transportName() {
        return transport.name().toLowerCase(Locale.ROOT);
    }

    /** For logs: a Unix domain peer has no address of its own, so name the socket instead. */
    String describe() {
        return transport == ListenerSpec.Transport.UNIX ? "unix:" + localAddress : String.valueOf(remoteAddress);
    }

    @Override
    public String toString() {
        return "#" + id + " from " + describe();
    }
}
