package io.courier.server.stream;

import io.courier.protocol.Message;
import io.courier.server.dispatch.AbstractSession;
import io.courier.server.loop.EventLoop;
import io.courier.server.metrics.CloseReason;

import java.net.SocketAddress;

/**
 * A connection as handlers see it. Callable from any thread: calls made off the loop are posted to it, so the
 * connection itself is only ever touched by the loop thread.
 */
final class ConnectionSession extends AbstractSession {
    private final Connection connection;
    private final Peer peer;
    private final EventLoop loop;

    ConnectionSession(Connection connection, Peer peer, EventLoop loop) {
        this.connection = connection;
        this.peer = peer;
        this.loop = loop;
    }

    @Override
    public long id() {
        return peer.id();
    }

    @Override
    public boolean isConnection() {
        return true;
    }

    @Override
    public String peerIdentity() {
        return connection.peerIdentity();
    }

    @Override
    public String transport() {
        return peer.transportName();
    }

    @Override
    public SocketAddress remoteAddress() {
        return peer.remoteAddress();
    }

    @Override
    public SocketAddress localAddress() {
        return peer.localAddress();
    }

    @Override
    public void send(Message event) {
        if (loop.inEventLoop()) {
            connection.sendEvent(event);
        } else {
            loop.execute(() -> connection.sendEvent(event));
        }
    }

    @Override
    public void close() {
        if (loop.inEventLoop()) {
            connection.requestClose(CloseReason.SERVER_CLOSED);
        } else {
            loop.execute(() -> connection.requestClose(CloseReason.SERVER_CLOSED));
        }
    }

    @Override
    public void onClose(Runnable callback) {
        if (loop.inEventLoop()) {
            connection.onClose(callback);
        } else {
            loop.execute(() -> connection.onClose(callback));
        }
    }

    @Override
    public boolean isOpen() {
        return connection.isOpen();
    }

    @Override
    public String toString() {
        return connection.toString();
    }
}
