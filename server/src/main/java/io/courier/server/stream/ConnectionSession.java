package io.courier.server.stream;

import io.courier.protocol.Message;
import io.courier.server.handler.Session;
import io.courier.server.loop.EventLoop;
import io.courier.server.metrics.CloseReason;

import java.net.SocketAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * A connection as handlers see it. Callable from any thread: calls made off the loop are posted to it, so the
 * connection itself is only ever touched by the loop thread.
 */
final class ConnectionSession implements Session {
    private final Connection connection;
    private final Peer peer;
    private final EventLoop loop;
    private Map<String, Object> attributes;

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
    public synchronized Object attribute(String key) {
        return attributes == null ? null : attributes.get(key);
    }

    @Override
    public synchronized void attribute(String key, Object value) {
        if (value == null) {
            if (attributes != null) {
                attributes.remove(key);
            }
            return;
        }
        if (attributes == null) {
            attributes = new HashMap<>(4);
        }
        attributes.put(key, value);
    }

    @Override
    public String toString() {
        return connection.toString();
    }
}
