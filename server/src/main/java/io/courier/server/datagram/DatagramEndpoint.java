package io.courier.server.datagram;

import io.courier.protocol.ErrorCode;
import io.courier.protocol.Framing;
import io.courier.protocol.Message;
import io.courier.protocol.MessageDecoder;
import io.courier.protocol.ProtocolException;
import io.courier.server.loop.Listener;
import io.courier.server.config.ListenerSpec;
import io.courier.server.config.ServerConfig;
import io.courier.server.dispatch.Dispatcher;
import io.courier.server.dispatch.UnencodableReply;
import io.courier.server.dispatch.WorkerPool;
import io.courier.server.loop.ChannelHandler;
import io.courier.server.loop.EventLoop;
import io.courier.server.loop.ReusePort;
import io.courier.server.metrics.ServerStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.util.ArrayList;
import java.util.List;

/**
 * Serves UDP (PROTOCOL.md "Datagrams"): each datagram is exactly one message, in either framing, and the reply
 * goes back to the sender in the same framing. A reply too big for one datagram becomes a {@code too_large} error.
 * The same handlers as for streams answer; a session here is the sender's address.
 */
public final class DatagramEndpoint implements ChannelHandler, Listener {
    private static final Logger log = LoggerFactory.getLogger(DatagramEndpoint.class);
    /** The largest UDP payload over IPv4. */
    static final int MAX_DATAGRAM_BYTES = 65_507;
    /** Datagrams handled per loop turn, so a UDP flood cannot starve stream clients. */
    private static final int MAX_DATAGRAMS_PER_TURN = 64;

    private final EventLoop loop;
    private final ServerConfig config;
    private final Dispatcher dispatcher;
    private final ServerStats stats;
    private final ListenerSpec spec;
    private final DatagramChannel channel;
    private final SocketAddress localAddress;
    private final ByteBuffer receiveBuffer = ByteBuffer.allocateDirect(MAX_DATAGRAM_BYTES + 1);
    private SelectionKey key;
    private long repliesDropped;

    private DatagramEndpoint(EventLoop loop, ServerConfig config, Dispatcher dispatcher, ServerStats stats,
                             ListenerSpec spec, DatagramChannel channel) throws IOException {
        this.loop = loop;
        this.config = config;
        this.dispatcher = dispatcher;
        this.stats = stats;
        this.spec = spec;
        this.channel = channel;
        this.localAddress = channel.getLocalAddress();
    }

    public static DatagramEndpoint bind(EventLoop loop, ServerConfig config, Dispatcher dispatcher,
                                        ServerStats stats, ListenerSpec spec) throws IOException {
        DatagramChannel channel = DatagramChannel.open();
        try {
            ListenerSpec.SocketOptions options = spec.options();
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, options.reuseAddress());
            if (options.receiveBufferBytes() > 0) {
                channel.setOption(StandardSocketOptions.SO_RCVBUF, options.receiveBufferBytes());
            }
            if (options.sendBufferBytes() > 0) {
                channel.setOption(StandardSocketOptions.SO_SNDBUF, options.sendBufferBytes());
            }
            ReusePort.apply(channel, options.reusePort());
            channel.bind(spec.socketAddress());
            channel.configureBlocking(false);
            return new DatagramEndpoint(loop, config, dispatcher, stats, spec, channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw new IOException("cannot listen on " + spec + ": " + e.getMessage(), e);
        }
    }

    @Override
    public ListenerSpec spec() {
        return spec;
    }

    @Override
    public SocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public void register() throws IOException {
        key = loop.register(channel, SelectionKey.OP_READ, this);
    }

    @Override
    public void onReady(SelectionKey readyKey) {
        try {
            for (int i = 0; i < MAX_DATAGRAMS_PER_TURN; i++) {
                receiveBuffer.clear();
                SocketAddress sender = channel.receive(receiveBuffer);
                if (sender == null) {
                    return;
                }
                receiveBuffer.flip();
                stats.bytesIn(receiveBuffer.remaining());
                handle(sender, receiveBuffer);
            }
        } catch (IOException e) {
            // ICMP port-unreachable from an earlier reply and the like: nothing to close, keep serving.
            log.debug("UDP receive on {} failed: {}", spec, e.toString());
        }
    }

    private void handle(SocketAddress sender, ByteBuffer datagram) {
        if (!datagram.hasRemaining()) {
            return;
        }
        if (datagram.remaining() > MAX_DATAGRAM_BYTES) {
            return; // cannot be a valid UDP payload; the buffer is one byte larger only to detect this
        }
        byte first = datagram.get(datagram.position());
        Framing framing = Framing.detect(first);
        if (framing == null) {
            reply(sender, Framing.JSON_TEXT, new ProtocolException(ErrorCode.UNKNOWN_PROTOCOL, false,
                    Framing.expectation(first)).toReply());
            return;
        }
        List<Message> messages = new ArrayList<>(1);
        List<ProtocolException> errors = new ArrayList<>(1);
        MessageDecoder decoder = framing.newDecoder(config.limits());
        try {
            decoder.decode(datagram, new MessageDecoder.Sink() {
                @Override
                public void onMessage(Message message) {
                    messages.add(message);
                }

                @Override
                public void onError(ProtocolException error) {
                    errors.add(error);
                }
            });
            if (decoder.hasPartialMessage() || messages.size() + errors.size() != 1) {
                throw new ProtocolException(ErrorCode.MALFORMED, false, "a datagram must hold exactly one whole "
                        + "message; this one held " + (messages.size() + errors.size()) + " complete message(s)"
                        + (decoder.hasPartialMessage() ? " and a partial one" : ""));
            }
        } catch (ProtocolException e) {
            reply(sender, framing, e.toReply());
            return;
        } finally {
            decoder.close();
        }
        if (!errors.isEmpty()) {
            reply(sender, framing, errors.get(0).toReply());
            return;
        }
        stats.messageIn();
        dispatcher.dispatch(messages.get(0), new DatagramSession(this, framing, sender));
    }

    /** Sends one message to {@code target}; a message too big for a datagram becomes a too_large error. */
    void reply(SocketAddress target, Framing framing, Message message) {
        ByteBuffer encoded;
        try {
            encoded = framing.encoder().encode(message);
        } catch (RuntimeException e) {
            message = UnencodableReply.standIn(message, "UDP reply to " + target, e);
            if (message == null) {
                return;
            }
            encoded = framing.encoder().encode(message);
        }
        if (encoded.remaining() > MAX_DATAGRAM_BYTES) {
            Message tooLarge = Message.error(message.type(), message.id(), ErrorCode.TOO_LARGE,
                    "the reply is " + encoded.remaining() + " bytes, more than one datagram carries ("
                            + MAX_DATAGRAM_BYTES + "); use a stream connection for large data");
            encoded = framing.encoder().encode(tooLarge);
            message = tooLarge;
        }
        try {
            int sent = channel.send(encoded, target);
            if (sent == 0) {
                repliesDropped++; // the socket's send buffer is full: UDP may drop, and so do we
                log.debug("UDP reply to {} dropped (send buffer full); {} dropped so far", target, repliesDropped);
                return;
            }
            stats.sent(message);
            stats.bytesOut(sent);
        } catch (IOException e) {
            log.debug("UDP reply to {} failed: {}", target, e.toString());
        }
    }

    EventLoop loop() {
        return loop;
    }

    WorkerPool workers() {
        return dispatcher.workers();
    }

    @Override
    public void close() {
        if (key != null) {
            key.cancel();
        }
        try {
            channel.close();
        } catch (IOException e) {
            log.warn("Closing {} failed", spec, e);
        }
    }
}
