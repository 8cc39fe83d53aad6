package io.courier.server.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.courier.protocol.Framing;
import io.courier.protocol.Json;
import io.courier.protocol.Message;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * A byte-level test client over a real socket channel (TCP or Unix domain): it sends exactly the bytes a test gives
 * it and reads replies with a deadline (a selector wait, never a sleep). Unlike {@code MessageClient} it can send
 * partial frames, read the raw JSON-text lines the server writes, and tell a clean EOF from a reset.
 */
public final class ChannelClient implements AutoCloseable {
    public static final Duration WAIT = Duration.ofSeconds(10);

    private final SocketChannel channel;
    private final Selector selector;
    private final SelectionKey key;
    private byte[] data = new byte[64 * 1024];
    private int start;
    private int end;
    private boolean eof;

    private ChannelClient(SocketChannel channel) throws IOException {
        this.channel = channel;
        channel.configureBlocking(false);
        this.selector = Selector.open();
        this.key = channel.register(selector, 0);
    }

    /** Connects to a TCP ({@code InetSocketAddress}) or Unix domain ({@code UnixDomainSocketAddress}) address. */
    public static ChannelClient connect(SocketAddress address) throws IOException {
        return connect(address, 0);
    }

    /** As {@link #connect(SocketAddress)}; a positive {@code receiveBufferBytes} shrinks SO_RCVBUF first. */
    public static ChannelClient connect(SocketAddress address, int receiveBufferBytes) throws IOException {
        SocketChannel channel = address instanceof UnixDomainSocketAddress
                ? SocketChannel.open(java.net.StandardProtocolFamily.UNIX)
                : SocketChannel.open();
        try {
            if (receiveBufferBytes > 0) {
                channel.setOption(java.net.StandardSocketOptions.SO_RCVBUF, receiveBufferBytes);
            }
            channel.connect(address);
            return new ChannelClient(channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    public SocketChannel channel() {
        return channel;
    }

    /** Writes every byte, waiting (up to {@link #WAIT}) while the socket is full. */
    public ChannelClient send(byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (buffer.hasRemaining()) {
            if (channel.write(buffer) == 0) {
                await(SelectionKey.OP_WRITE, deadline, "the server to take " + buffer.remaining() + " more bytes");
            }
        }
        return this;
    }

    public ChannelClient send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.UTF_8));
    }

    public ChannelClient sendFrame(Message message) throws IOException {
        ByteBuffer encoded = Framing.BINARY.encoder().encode(message);
        return send(Arrays.copyOfRange(encoded.array(), encoded.position(), encoded.limit()));
    }

    /** Sends one JSON-text request and reads the next line as its reply. */
    public Message callText(String request) throws IOException {
        send(request);
        return readTextMessage(WAIT);
    }

    /** Sends one binary frame and reads the next frame as its reply. */
    public Message callFrame(Message request) throws IOException {
        sendFrame(request);
        return readFrame(WAIT);
    }

    /** The next {@code \n}-terminated line, without the newline. Fails on EOF or when nothing comes in time. */
    public String readLine(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (int i = start; i < end; i++) {
                if (data[i] == '\n') {
                    String line = new String(data, start, i - start, StandardCharsets.UTF_8);
                    start = i + 1;
                    return line;
                }
            }
            if (!fill(deadline, "a reply line")) {
                throw new AssertionError("the server closed the connection before a whole line came; got "
                        + pending());
            }
        }
    }

    /** The next JSON-text reply, parsed. */
    public Message readTextMessage(Duration timeout) throws IOException {
        String line = readLine(timeout);
        JsonNode node = Json.MAPPER.readTree(line);
        if (!(node instanceof ObjectNode)) {
            throw new AssertionError("expected a JSON object line, got " + line);
        }
        return new Message((ObjectNode) node);
    }

    /** The next binary frame (u32 H, u32 B, header, body). */
    public Message readFrame(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        require(8, deadline);
        ByteBuffer prefix = ByteBuffer.wrap(data, start, 8);
        int headerLength = prefix.getInt();
        int bodyLength = prefix.getInt();
        require(8 + headerLength + bodyLength, deadline);
        ObjectNode header = (ObjectNode) Json.MAPPER.readTree(data, start + 8, headerLength);
        byte[] body = Arrays.copyOfRange(data, start + 8 + headerLength, start + 8 + headerLength + bodyLength);
        start += 8 + headerLength + bodyLength;
        return new Message(header, body);
    }

    /** Waits for a clean end of stream; fails if more data, a reset, or nothing comes in time. */
    public void expectEof(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        if (start < end) {
            throw new AssertionError("expected EOF but the server sent more: " + pending());
        }
        while (!eof) {
            if (fill(deadline, "EOF") && start < end) {
                throw new AssertionError("expected EOF but the server sent more: " + pending());
            }
        }
    }

    /**
     * Waits up to {@code timeout} for something to read; true when unread bytes or the end of stream are there.
     * For loops that must keep doing something (sending, pinging) until the server reacts.
     */
    public boolean poll(Duration timeout) throws IOException {
        if (start < end || eof) {
            return true;
        }
        start = 0;
        end = 0;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            int n = channel.read(ByteBuffer.wrap(data, end, data.length - end));
            if (n < 0) {
                eof = true;
                return true;
            }
            if (n > 0) {
                end += n;
                return true;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            key.interestOps(SelectionKey.OP_READ);
            selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            selector.selectedKeys().clear();
            key.interestOps(0);
        }
    }

    /** True once the server closed its side (seen by a read). */
    public boolean isEof() {
        return eof;
    }

    /** Reads and throws away whatever arrives until EOF (for a client that only wants to see the close). */
    public long drainToEof(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long discarded = 0;
        while (!eof) {
            fill(deadline, "EOF");
            discarded += end - start;
            start = end;
        }
        return discarded;
    }

    private void require(int bytes, long deadline) throws IOException {
        while (end - start < bytes) {
            if (!fill(deadline, bytes + " bytes of a frame")) {
                throw new AssertionError("the server closed the connection in the middle of a frame; got "
                        + (end - start) + " of " + bytes + " bytes");
            }
        }
    }

    /** Reads once (waiting until the deadline); false at EOF. */
    private boolean fill(long deadline, String waitingFor) throws IOException {
        if (eof) {
            return false;
        }
        if (start == end) {
            start = 0;
            end = 0;
        }
        while (true) {
            if (end == data.length) {
                if (start > 0) {
                    System.arraycopy(data, start, data, 0, end - start);
                    end -= start;
                    start = 0;
                } else {
                    data = Arrays.copyOf(data, data.length * 2);
                }
            }
            int n = channel.read(ByteBuffer.wrap(data, end, data.length - end));
            if (n < 0) {
                eof = true;
                return false;
            }
            if (n > 0) {
                end += n;
                return true;
            }
            await(SelectionKey.OP_READ, deadline, waitingFor);
        }
    }

    private void await(int op, long deadline, String waitingFor) throws IOException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new AssertionError("timed out waiting for " + waitingFor + "; received so far: " + pending());
        }
        key.interestOps(op);
        selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        selector.selectedKeys().clear();
        key.interestOps(0);
    }

    private String pending() {
        int shown = Math.min(end - start, 300);
        return "'" + new String(data, start, shown, StandardCharsets.UTF_8) + (end - start > shown ? "...'" : "'");
    }

    @Override
    public void close() throws IOException {
        try {
            selector.close();
        } finally {
            channel.close();
        }
    }
}
