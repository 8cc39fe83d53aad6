package io.courier.protocol.client;

import io.courier.protocol.Framing;
import io.courier.protocol.Limits;
import io.courier.protocol.Message;
import io.courier.protocol.MessageDecoder;
import io.courier.protocol.MessageEncoder;
import io.courier.protocol.ProtocolException;
import io.courier.protocol.units.Quantities;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A small blocking client: requests are matched to replies by {@code id}, so many can be in flight on one
 * connection; server events (messages without {@code ok}) go to a listener. One reader thread per client.
 *
 * <pre>{@code
 * try (MessageClient client = MessageClient.connect(new InetSocketAddress("127.0.0.1", 6666))) {
 *     Message pong = client.call(Message.of("ping"), Duration.ofSeconds(5));
 * }
 * }</pre>
 */
public final class MessageClient implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MessageClient.class);
    private static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final Socket socket;
    private final Framing framing;
    private final MessageEncoder encoder;
    private final OutputStream out;
    private final Map<String, CompletableFuture<Message>> pending = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong(1);
    private final BlockingQueue<Message> unsolicited = new LinkedBlockingQueue<>();
    private final Thread reader;
    private volatile Consumer<Message> eventListener;
    private final List<Consumer<Message>> eventListeners = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Throwable> closed = new CompletableFuture<>();
    private volatile Throwable closedBecause;

    private MessageClient(Socket socket, Framing framing, Limits limits) throws IOException {
        this.socket = socket;
        this.framing = framing;
        this.encoder = framing.encoder();
        this.out = socket.getOutputStream();
        MessageDecoder decoder = framing.newDecoder(limits);
        InputStream in = socket.getInputStream();
        this.reader = new Thread(() -> readLoop(in, decoder), "courier-client-reader-" + socket.getLocalPort());
        this.reader.setDaemon(true);
        this.reader.start();
    }

    /** Connects with binary framing and default limits. */
    public static MessageClient connect(SocketAddress address) throws IOException {
        return connect(address, Framing.BINARY, DEFAULT_CONNECT_TIMEOUT);
    }

    public static MessageClient connect(String host, int port) throws IOException {
        return connect(new InetSocketAddress(host, port));
    }

    public static MessageClient connect(SocketAddress address, Framing framing, Duration connectTimeout)
            throws IOException {
        return connect(address, framing, connectTimeout, Limits.DEFAULTS);
    }

    public static MessageClient connect(SocketAddress address, Framing framing, Duration connectTimeout,
                                        Limits limits) throws IOException {
        return connect(address, framing, connectTimeout, limits, null);
    }

    /**
     * Connects, over TLS when {@code tls} is not null: the handshake happens here (within {@code connectTimeout}),
     * and the server's certificate must name the host connected to (HTTPS rules), unless the context's trust
     * manager decides otherwise.
     */
    public static MessageClient connect(SocketAddress address, Framing framing, Duration connectTimeout,
                                        Limits limits, SSLContext tls) throws IOException {
        int timeoutMillis = (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis());
        Socket plain = new Socket();
        Socket socket = plain;
        try {
            plain.setTcpNoDelay(true);
            plain.connect(address, timeoutMillis);
            if (tls != null) {
                socket = startTls(plain, address, tls, timeoutMillis);
            }
            return new MessageClient(socket, framing, limits);
        } catch (IOException | RuntimeException e) {
            socket.close();
            plain.close();
            throw e;
        }
    }

    private static Socket startTls(Socket plain, SocketAddress address, SSLContext tls, int timeoutMillis)
            throws IOException {
        String host = address instanceof InetSocketAddress
                ? ((InetSocketAddress) address).getHostString() : plain.getInetAddress().getHostAddress();
        SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(plain, host, plain.getPort(), true);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        socket.setSSLParameters(parameters);
        socket.setSoTimeout(timeoutMillis);
        socket.startHandshake();
        socket.setSoTimeout(0);
        return socket;
    }

    public Framing framing() {
        return framing;
    }

    /**
     * Sends a request and returns its reply when it comes. A request without {@code id} gets a fresh numeric one.
     * The future fails if the connection closes first.
     */
    public CompletableFuture<Message> request(Message request) {
        if (request.id() == null) {
            request.header().put(Message.ID, nextId.getAndIncrement());
        }
        String key = request.id().toString();
        CompletableFuture<Message> reply = new CompletableFuture<>();
        if (pending.putIfAbsent(key, reply) != null) {
            reply.completeExceptionally(new IllegalArgumentException("id " + key + " is already in flight"));
            return reply;
        }
        reply.whenComplete((message, error) -> pending.remove(key, reply));
        try {
            send(request);
        } catch (IOException e) {
            reply.completeExceptionally(e);
        }
        Throwable closed = closedBecause;
        if (closed != null) {
            // The reader already ended (server closed, e.g. busy at accept) and will complete nothing more.
            reply.completeExceptionally(closed);
        }
        return reply;
    }

    /** Sends a request and waits up to {@code timeout} for its reply (which may be an error reply). */
    public Message call(Message request, Duration timeout) throws IOException, TimeoutException {
        return await(request(request), request, timeout);
    }

    /** Waits for a reply future of {@link #request}; a failed connection surfaces as its IOException. */
    static Message await(CompletableFuture<Message> reply, Message request, Duration timeout)
            throws IOException, TimeoutException {
        try {
            return reply.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            reply.cancel(false);
            throw new TimeoutException("no reply to " + request.type() + " id " + request.id() + " within "
                    + Quantities.format(timeout));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for a reply", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof IOException ? (IOException) cause : new IOException(cause);
        }
    }

    /**
     * Like {@link #call}, but an error reply becomes an {@link ErrorReplyException}: the returned reply is
     * always {@code ok:true}.
     */
    public Message callOk(Message request, Duration timeout) throws IOException, TimeoutException {
        return ErrorReplyException.requireOk(call(request, timeout));
    }

    /** Sends a message without waiting for anything (a reply, if any, goes to the event listener or queue). */
    public void send(Message message) throws IOException {
        ByteBuffer encoded = encoder.encode(message);
        synchronized (out) {
            out.write(encoded.array(), encoded.arrayOffset() + encoded.position(), encoded.remaining());
            out.flush();
        }
    }

    /**
     * Receives server events and replies that match no request. Without a listener (neither this one nor any of
     * {@link #addEventListener}) they queue up for {@link #nextUnsolicited(Duration)}.
     */
    public void onEvent(Consumer<Message> listener) {
        this.eventListener = listener;
    }

    /**
     * Adds a listener for server events and unmatched replies, next to the one {@link #onEvent} sets; every
     * listener sees every event, on the reader thread (so it must not block). Closing the returned handle
     * removes it. Helpers such as {@link ChatRoom} use this, so they can share one connection.
     */
    public Subscription addEventListener(Consumer<Message> listener) {
        Objects.requireNonNull(listener, "listener");
        eventListeners.add(listener);
        return () -> eventListeners.remove(listener);
    }

    /** An event listener's registration; closing it removes the listener. */
    public interface Subscription extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Completes, with the reason, when the connection has ended (the server closed it, it broke, or
     * {@link #close()} was called). Replies still pending have failed by then.
     */
    public CompletableFuture<Throwable> closed() {
        return closed;
    }

    /** The next event or unmatched reply, waiting up to {@code timeout}; {@code null} if none came. */
    public Message nextUnsolicited(Duration timeout) throws InterruptedException {
        return unsolicited.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Closes the write side only (TCP half-close): replies still arrive. */
    public void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    public boolean isOpen() {
        return closedBecause == null;
    }

    /** Requests sent whose reply has not come yet. */
    public int inFlight() {
        return pending.size();
    }

    @Override
    public void close() throws IOException {
        closedBecause = Objects.requireNonNullElse(closedBecause, new EOFException("client closed"));
        socket.close();
        failPending(closedBecause);
        closed.complete(closedBecause);
    }

    private void readLoop(InputStream in, MessageDecoder decoder) {
        byte[] buffer = new byte[64 * 1024];
        MessageDecoder.Sink sink = new MessageDecoder.Sink() {
            @Override
            public void onMessage(Message message) {
                dispatch(message);
            }

            @Override
            public void onError(ProtocolException error) {
                log.warn("Skipped a message the server sent: {}", error.getMessage());
            }
        };
        Throwable end;
        try {
            int n;
            boolean first = true;
            while ((n = in.read(buffer)) >= 0) {
                if (first && n > 0) {
                    first = false;
                    // Before it knows a client's framing (busy at accept, a timeout before the first byte) the
                    // server answers in JSON text; binary frames always start with 0x00, so '{' cannot be one.
                    if (framing == Framing.BINARY && buffer[0] == '{') {
                        decoder = Framing.JSON_TEXT.newDecoder(Limits.DEFAULTS);
                    }
                }
                decoder.decode(ByteBuffer.wrap(buffer, 0, n), sink);
            }
            end = new EOFException("the server closed the connection");
        } catch (IOException | ProtocolException e) {
            end = e;
        } catch (RuntimeException e) {
            log.error("Client reader failed", e);
            end = e;
        }
        if (closedBecause == null) {
            closedBecause = end;
        }
        failPending(closedBecause);
        closed.complete(closedBecause);
    }

    private void dispatch(Message message) {
        if (message.isReply() && message.id() != null) {
            CompletableFuture<Message> waiting = pending.get(message.id().toString());
            if (waiting != null) {
                waiting.complete(message);
                return;
            }
        }
        Consumer<Message> listener = eventListener;
        if (listener != null) {
            deliver(listener, message);
        }
        for (Consumer<Message> added : eventListeners) {
            deliver(added, message);
        }
        if (listener == null && eventListeners.isEmpty()) {
            unsolicited.add(message);
        }
    }

    /** A listener that throws loses that event, not the connection: the reader goes on for the others. */
    private static void deliver(Consumer<Message> listener, Message message) {
        try {
            listener.accept(message);
        } catch (RuntimeException e) {
            log.warn("An event listener failed on {}", message.type(), e);
        }
    }

    private void failPending(Throwable cause) {
        for (CompletableFuture<Message> waiting : pending.values()) {
            waiting.completeExceptionally(cause);
        }
    }

    @Override
    public String toString() {
        return "MessageClient[" + socket.getLocalSocketAddress() + " -> " + socket.getRemoteSocketAddress()
                + ", " + framing + "]";
    }
}
