package io.courier.server.support;

import io.courier.protocol.Framing;
import io.courier.protocol.Limits;
import io.courier.protocol.Message;
import io.courier.protocol.MessageDecoder;
import io.courier.protocol.ProtocolException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A test client on a plain blocking socket: it writes whatever bytes a test gives it (valid or not, all at once or
 * one byte per write) and decodes the server's replies in the given framing, on the calling thread, with a
 * deadline. No reader thread and no request matching: a test sees exactly what came back, in order.
 */
public final class RawClient implements AutoCloseable {
    /** Replies may be big (an 8 MiB echo, as base64 in JSON text): decode with the widest limits. */
    private static final Limits REPLY_LIMITS = new Limits(Limits.ABSOLUTE_MAX_HEADER_BYTES, 64 << 20);

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final Framing framing;
    private final MessageDecoder decoder;
    private final ArrayDeque<Message> decoded = new ArrayDeque<>();
    private final byte[] readBuffer = new byte[64 * 1024];
    private boolean eof;

    private RawClient(Socket socket, Framing framing) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.framing = framing;
        this.decoder = framing.newDecoder(REPLY_LIMITS);
    }

    /** Connects to 127.0.0.1:{@code port}, TCP_NODELAY on; replies are decoded as {@code replyFraming}. */
    public static RawClient connect(int port, Framing replyFraming) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            return new RawClient(socket, replyFraming);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /**
     * Takes over a connected socket, e.g. that of a {@code SocketChannel} a test first drove in non-blocking mode
     * (switch it back to blocking first).
     */
    public static RawClient wrap(Socket socket, Framing replyFraming) throws IOException {
        return new RawClient(socket, replyFraming);
    }

    public Socket socket() {
        return socket;
    }

    public Framing framing() {
        return framing;
    }

    /** Writes all bytes in one write call (the kernel may still split them; the server must not care). */
    public RawClient write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /**
     * Writes all bytes in one write call on a new thread, so the test can read replies meanwhile (a client that
     * writes a lot before reading can deadlock with a server that stops reading while its replies are unread).
     * The future fails with the write's exception, e.g. once the server has closed the connection.
     */
    public CompletableFuture<Void> writeInBackground(byte[] bytes) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread writer = new Thread(() -> {
            try {
                write(bytes);
                done.complete(null);
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        }, "test-writer-" + socket.getLocalPort());
        writer.setDaemon(true);
        writer.start();
        return done;
    }

    /** Encodes {@code message} in this client's framing and writes it. */
    public RawClient send(Message message) throws IOException {
        return write(Frames.encode(message, framing));
    }

    /** One write, one flush per byte: with TCP_NODELAY each byte leaves as its own segment. */
    public RawClient writeDribbled(byte[] bytes) throws IOException {
        for (byte b : bytes) {
            out.write(b);
            out.flush();
        }
        return this;
    }

    /** The next reply, or a test failure if none is complete within {@code timeout} or the server closes first. */
    public Message read(Duration timeout) throws IOException {
        return read(1, timeout).get(0);
    }

    /** The next {@code count} messages, all within {@code timeout} in total. */
    public List<Message> read(int count, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Message> messages = new ArrayList<>(count);
        while (messages.size() < count) {
            Message next = decoded.poll();
            if (next != null) {
                messages.add(next);
                continue;
            }
            if (eof) {
                fail("the server closed the connection after " + messages.size() + " of " + count + " replies");
            }
            if (!fill(deadline)) {
                fail("only " + messages.size() + " of " + count + " replies within " + timeout);
            }
        }
        return messages;
    }

    /**
     * Asserts that the server closes the connection cleanly (FIN, not a reset) within {@code timeout} and sends
     * nothing more before it.
     */
    public void expectEof(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!eof) {
            if (!decoded.isEmpty()) {
                fail("expected the server to close the connection, but it sent " + decoded.peek());
            }
            if (!fill(deadline)) {
                fail("the server did not close the connection within " + timeout);
            }
        }
        if (!decoded.isEmpty()) {
            fail("expected the server to close the connection, but it sent " + decoded.peek());
        }
        if (decoder.hasPartialMessage()) {
            fail("the connection ended in the middle of a reply");
        }
    }

    /**
     * Every message until the server closes the connection cleanly, all within {@code timeout}. Fails on a reset,
     * on a reply cut off by the close, or if the server does not close in time.
     */
    public List<Message> readUntilEof(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!eof) {
            if (!fill(deadline)) {
                fail("the server did not close the connection within " + timeout + " (" + decoded.size()
                        + " messages so far)");
            }
        }
        if (decoder.hasPartialMessage()) {
            fail("the connection ended in the middle of a reply, after " + decoded.size() + " whole ones");
        }
        List<Message> messages = new ArrayList<>(decoded);
        decoded.clear();
        return messages;
    }

    /** True once the server's FIN has been read. */
    public boolean isEof() {
        return eof;
    }

    /**
     * Reads once, blocking until something arrives or the deadline passes. Returns false on timeout. A reset by the
     * server is a test failure: PROTOCOL.md promises the replies, then a clean close.
     */
    private boolean fill(long deadline) throws IOException {
        long remainingMillis = (deadline - System.nanoTime()) / 1_000_000;
        if (remainingMillis <= 0) {
            return false;
        }
        socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, remainingMillis));
        int n;
        try {
            n = in.read(readBuffer);
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            throw new AssertionError("reading from the server failed (" + e + ") after " + decoded.size()
                    + " undelivered replies; expected replies and then a clean close", e);
        }
        if (n < 0) {
            eof = true;
            return true;
        }
        try {
            decoder.decode(ByteBuffer.wrap(readBuffer, 0, n), new MessageDecoder.Sink() {
                @Override
                public void onMessage(Message message) {
                    decoded.add(message);
                }

                @Override
                public void onError(ProtocolException error) {
                    fail("the server sent a reply the client cannot decode: " + error.getMessage());
                }
            });
        } catch (ProtocolException e) {
            fail("the server sent bytes that are not " + framing + ": " + e.getMessage());
        }
        return true;
    }

    /** Closes the write side (TCP FIN); replies can still be read. */
    public void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    /** Closes with SO_LINGER 0: the kernel sends a reset instead of a FIN and drops anything unsent. */
    public void reset() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
