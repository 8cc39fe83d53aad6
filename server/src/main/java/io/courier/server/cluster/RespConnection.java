package io.courier.server.cluster;

import io.courier.server.loop.ChannelHandler;
import io.courier.server.loop.EventLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Consumer;

/**
 * One connection to Redis, driven by the server's own event loop: a non-blocking socket on the same selector as
 * the clients, so nothing ever blocks and no other thread is involved. Commands are pipelined: each is appended to
 * one output buffer, written once per loop turn, and its reply is matched by order (Redis answers in order).
 * RESP3 push messages (pub/sub) go to the listener instead. When the connection ends, for whatever reason, every
 * command still waiting gets {@link RespError#LINK_LOST}, then the listener hears it once.
 */
final class RespConnection implements ChannelHandler {
    private static final Logger log = LoggerFactory.getLogger(RespConnection.class);
    /** Bytes read per loop turn at most, so a flood from Redis cannot starve the clients. */
    private static final int READ_BUDGET = 1 << 20;
    /** Unsent command bytes above which Redis is taken as gone (it stopped reading us). */
    private static final int MAX_UNSENT = 64 << 20;

    /** What the connection tells its owner. Loop thread. */
    interface Listener {
        void connected();

        void push(RespPush push);

        void closed(String why);
    }

    private final EventLoop loop;
    private final Listener listener;
    private final SocketChannel channel;
    private final RespParser parser;
    private final ArrayDeque<Consumer<Object>> waiting = new ArrayDeque<>();
    private ByteBuffer out = ByteBuffer.allocate(16 * 1024);
    private SelectionKey key;
    private boolean connected;
    private boolean closed;
    private boolean flushScheduled;

    private RespConnection(EventLoop loop, Listener listener, SocketChannel channel) {
        this.loop = loop;
        this.listener = listener;
        this.channel = channel;
        this.parser = new RespParser(this::received);
    }

    /** Starts connecting; the listener hears {@code connected} or {@code closed}. Loop thread. */
    static RespConnection open(EventLoop loop, InetSocketAddress address, Listener listener) throws IOException {
        SocketChannel channel = SocketChannel.open();
        try {
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
            RespConnection connection = new RespConnection(loop, listener, channel);
            boolean now = channel.connect(address);
            connection.key = loop.register(channel, now ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT, connection);
            if (now) {
                loop.execute(connection::becameConnected);
            }
            return connection;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Queues a command; {@code reply} gets its reply value, a {@link RespError}, or LINK_LOST. */
    void call(Consumer<Object> reply, Object... args) {
        if (closed) {
            reply.accept(RespError.LINK_LOST);
            return;
        }
        waiting.add(reply);
        write(args);
    }

    /** Queues a command whose answer comes as a push (SUBSCRIBE and UNSUBSCRIBE in RESP3). */
    void send(Object... args) {
        if (!closed) {
            write(args);
        }
    }

    boolean isOpen() {
        return !closed;
    }

    private void write(Object[] args) {
        byte[] bytes = Resp.command(List.of(args));
        if (out.remaining() < bytes.length) {
            if (out.position() + bytes.length > MAX_UNSENT) {
                close("Redis has not read the last " + out.position() + " bytes of commands");
                return;
            }
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(out.capacity() * 2, out.position() + bytes.length));
            out.flip();
            bigger.put(out);
            out = bigger;
        }
        out.put(bytes);
        if (connected && !flushScheduled) {
            // Once per loop turn: every command queued in this turn goes out in one write.
            flushScheduled = true;
            loop.execute(this::flush);
        }
    }

    @Override
    public void onReady(SelectionKey ready) {
        try {
            if (ready.isConnectable()) {
                channel.finishConnect();
                becameConnected();
                return;
            }
            if (ready.isWritable()) {
                flush();
            }
            if (ready.isReadable()) {
                read();
            }
        } catch (IOException e) {
            close(e.getMessage() == null ? e.toString() : e.getMessage());
        } catch (RuntimeException e) {
            // A bug in what a reply set off: the link cannot be trusted any more, so it starts over.
            log.error("Unexpected failure handling a reply from Redis; reconnecting", e);
            close("unexpected failure: " + e);
        }
    }

    private void becameConnected() {
        if (closed) {
            return;
        }
        connected = true;
        key.interestOps(SelectionKey.OP_READ);
        listener.connected();
        flush();
    }

    private void read() throws IOException {
        ByteBuffer buffer = loop.readBuffer();
        int total = 0;
        while (!closed && total < READ_BUDGET) {
            buffer.clear();
            int n = channel.read(buffer);
            if (n < 0) {
                close("Redis closed the connection");
                return;
            }
            if (n == 0) {
                return;
            }
            total += n;
            buffer.flip();
            parser.feed(buffer);
        }
    }

    private void received(Object value) {
        if (value instanceof RespPush) {
            listener.push((RespPush) value);
            return;
        }
        Consumer<Object> reply = waiting.poll();
        if (reply == null) {
            log.warn("Redis sent a reply nobody asked for: {}", value);
            return;
        }
        reply.accept(value);
    }

    private void flush() {
        flushScheduled = false;
        if (closed || !connected) {
            return;
        }
        try {
            out.flip();
            channel.write(out);
            out.compact();
        } catch (IOException e) {
            close(e.getMessage() == null ? e.toString() : e.getMessage());
            return;
        }
        int interest = SelectionKey.OP_READ | (out.position() > 0 ? SelectionKey.OP_WRITE : 0);
        if (key.isValid() && key.interestOps() != interest) {
            key.interestOps(interest);
        }
    }

    /** Ends the connection: waiting commands get LINK_LOST, then the listener hears {@code why}. Idempotent. */
    void close(String why) {
        if (closed) {
            return;
        }
        closed = true;
        key.cancel();
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        Consumer<Object> reply;
        while ((reply = waiting.poll()) != null) {
            reply.accept(RespError.LINK_LOST);
        }
        listener.closed(why);
    }
}
