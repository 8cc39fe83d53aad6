package io.courier.server.datagram;

import io.courier.protocol.Framing;
import io.courier.protocol.Message;
import io.courier.server.dispatch.Origin;
import io.courier.server.dispatch.AbstractSession;
import io.courier.server.api.Session;
import io.courier.server.dispatch.WorkerPool;

import java.net.SocketAddress;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The sender of one datagram as a handler sees it. There is no connection: events go back to the sender's
 * address, closing does nothing, and attributes live only as long as the request.
 */
final class DatagramSession extends AbstractSession implements Origin {
    private static final AtomicLong IDS = new AtomicLong();

    private final DatagramEndpoint endpoint;
    private final Framing framing;
    private final SocketAddress sender;
    private final long id = IDS.incrementAndGet();

    DatagramSession(DatagramEndpoint endpoint, Framing framing, SocketAddress sender) {
        this.endpoint = endpoint;
        this.framing = framing;
        this.sender = sender;
    }

    @Override
    public Session session() {
        return this;
    }

    /** Datagrams are independent: each blocking request gets a lane of its own. */
    @Override
    public WorkerPool.Lane lane() {
        return endpoint.workers().newLane();
    }

    @Override
    public void reply(Message reply) {
        endpoint.reply(sender, framing, reply);
    }

    @Override
    public void replyPending() {
        // nothing to count: a datagram's reply goes wherever and whenever it is ready
    }

    @Override
    public void replyLater(Message reply) {
        endpoint.reply(sender, framing, reply);
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public boolean isConnection() {
        return false;
    }

    @Override
    public String transport() {
        return "udp";
    }

    @Override
    public SocketAddress remoteAddress() {
        return sender;
    }

    @Override
    public SocketAddress localAddress() {
        return endpoint.localAddress();
    }

    @Override
    public void send(Message event) {
        if (endpoint.loop().inEventLoop()) {
            endpoint.reply(sender, framing, event);
        } else {
            endpoint.loop().execute(() -> endpoint.reply(sender, framing, event));
        }
    }

    @Override
    public void close() {
        // nothing to close: UDP has no connection
    }

    /** A datagram exchange has no end to wait for; nothing will call {@code callback}. */
    @Override
    public void onClose(Runnable callback) {
        // nothing: there is no connection to close
    }

    @Override
    public boolean isOpen() {
        return true;
    }

}
