package io.courier.server.stream;

import io.courier.protocol.Message;
import io.courier.protocol.MessageDecoder;
import io.courier.protocol.ProtocolException;
import io.courier.server.loop.EventLoop;
import io.courier.server.metrics.CloseReason;
import io.courier.server.transport.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;

import static io.courier.server.stream.ConnectionState.CLOSED;
import static io.courier.server.stream.ConnectionState.PAUSED;
import static io.courier.server.stream.ConnectionState.READING;

/**
 * A {@link Connection}'s way in: reads at most {@code read-budget-bytes} per turn through the loop's shared buffer,
 * decodes the bytes at once and hands every whole message to the dispatcher, with the connection's
 * {@link ConnectionReplies} as its origin. It also keeps what the timeouts and the connection log learn from the
 * input (a partial message or record, the peer's identity once known). Its own class because this is the
 * per-read path, apart from how the connection is written, paused and closed (the {@link Connection}'s business,
 * asked through its package-private methods). Loop-thread only.
 */
final class ConnectionInput implements MessageDecoder.Sink {
    private static final Logger log = LoggerFactory.getLogger(Connection.class); // the connection's lines

    private final Connection connection;
    private final ConnectionContext context;
    private final Connections registry;
    private final EventLoop loop;
    private final Transport transport;
    private final Peer peer;
    private final ConnectionFraming framing;
    private final Traffic traffic;
    private final ConnectionReplies replies;
    private boolean identityLogged;

    ConnectionInput(Connection connection, Connections registry, Transport transport, Peer peer,
                    ConnectionFraming framing, Traffic traffic, ConnectionReplies replies) {
        this.connection = connection;
        this.registry = registry;
        this.context = registry.context;
        this.loop = context.loop;
        this.transport = transport;
        this.peer = peer;
        this.framing = framing;
        this.traffic = traffic;
        this.replies = replies;
    }

    /**
     * Reads and decodes while the budget lasts and the connection is READING. The replies are written after the
     * turn's batch of ready keys ({@link Connection#scheduleFlush}), as Redis writes before it sleeps: writing each
     * connection's replies as soon as it was read woke the client once per connection (ping, 64 connections x 16
     * in flight: p99 lower in 10 of 10 alternating pairs, throughput higher in 7).
     */
    void read() {
        ByteBuffer buffer = loop.readBuffer();
        int budget = context.config.readBudgetBytes();
        try {
            while (budget > 0 && connection.state() == READING) {
                buffer.clear();
                int n = transport.read(buffer);
                if (n < 0) {
                    endOfInput();
                    break;
                }
                if (n == 0) {
                    break;
                }
                traffic.read(n, System.nanoTime());
                context.stats.bytesIn(n);
                budget -= n;
                buffer.flip();
                decode(buffer);
                if (connection.state() == CLOSED) {
                    return;
                }
                connection.applyBackpressure();
                if (n < buffer.capacity()) {
                    break; // the socket is most likely drained; skip the read that would return 0
                }
            }
        } catch (IOException e) {
            connection.closeOnFailure(e);
            return;
        }
        notePartialInput();
        noteIdentity();
        if (connection.state() == READING && transport.hasBufferedInput()) {
            loop.execute(connection::resume); // input already off the socket, which may not become readable again
        }
        connection.scheduleFlush();
    }

    /** The frame timeout covers half a message in the framing, and a handshake or record half done below it. */
    void notePartialInput() {
        traffic.partial(framing.hasPartialMessage() || transport.hasPartialInput());
    }

    private void noteIdentity() {
        String identity = transport.peerIdentity();
        if (identity != null && !identityLogged) {
            identityLogged = true;
            context.connectionLog.line("{} identified as {}", peer, identity);
        }
    }

    private void decode(ByteBuffer buffer) {
        try {
            framing.decode(buffer, this);
        } catch (ProtocolException e) {
            fail(e);
            return;
        }
        if (connection.state() != CLOSED) {
            notePartialInput();
            if (context.stats.bufferedBytes() > context.bufferBudget) {
                registry.enforceBufferBudget();
            }
        }
    }

    /** An error the stream cannot recover from: reply, then close once the reply is written. */
    private void fail(ProtocolException error) {
        context.connectionLog.line("{} {}: {}; closing after the reply", peer, error.code().wireName(),
                error.getMessage());
        onError(error);
        connection.requestClose(CloseReason.PROTOCOL_ERROR);
    }

    @Override
    public void onMessage(Message request) {
        if (connection.state().compareTo(PAUSED) > 0) {
            request.releaseBody();
            return; // the client is being closed; later requests in the same read are not served
        }
        traffic.messagesIn++;
        context.stats.messageIn();
        context.dispatcher.dispatch(request, replies);
        request.releaseBody(); // its handler returned: a pooled body goes back (or on with its reply)
    }

    @Override
    public void onError(ProtocolException error) {
        replies.enqueue(error.toReply());
    }

    private void endOfInput() {
        if (framing.hasPartialMessage()) {
            log.debug("{} closed its side in the middle of a message; the partial message is dropped", peer);
        }
        connection.requestClose(CloseReason.CLIENT_CLOSED);
    }

    @Override
    public String toString() {
        return connection.toString();
    }
}
