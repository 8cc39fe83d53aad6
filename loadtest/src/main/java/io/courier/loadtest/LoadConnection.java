package io.courier.loadtest;

import io.courier.protocol.Framing;
import io.courier.protocol.ProtocolException;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;

/**
 * One client connection, confined to its {@link ClientThread}: its life (connecting, with --tls the handshake,
 * established, closed), the bytes waiting to go out, and the {@link InFlightWindow} of requests awaiting replies.
 * Its {@link Traffic} decides when to send; this class sends and counts what happens. The socket and its TLS are
 * {@link LoadSocket}'s, decoding and matching the replies {@link ReplyReader}'s.
 */
final class LoadConnection implements TlsLink.Peer {
    enum State { NEW, CONNECTING, ESTABLISHED, CLOSED }

    /** Reads per readiness event at most, so one busy connection does not starve the others. */
    private static final int MAX_READS_PER_EVENT = 4;

    private final ClientThread thread;
    private final int index;
    private final Traffic traffic;
    private final InFlightWindow window = new InFlightWindow();
    private final OutBuffer out = new OutBuffer();
    /** The socket, and with --tls the TLS over it: the connection is CONNECTING until its handshake is done too. */
    private final LoadSocket socket;
    private final ReplyReader replies;
    private long quota;
    private State state = State.NEW;
    private InetSocketAddress target;
    private boolean sendingFinished;
    private String description;

    /** Owned by {@link TimerQueue}: bumped to invalidate the pending timer. */
    long timerGeneration;
    /** Owned by {@link ClientThread}: counted among the connections the drain waits for. */
    boolean drainBusy;

    LoadConnection(ClientThread thread, int index, Traffic traffic, long quota) {
        this.thread = thread;
        this.index = index;
        this.traffic = traffic;
        this.quota = quota;
        this.sendingFinished = quota <= 0; // nothing to send: not counted among the thread's senders
        this.socket = new LoadSocket(thread);
        this.replies = new ReplyReader(this, thread, window, traffic);
    }

    /** Starts a non-blocking connect, from {@code source} when given. */
    void open(InetSocketAddress target, InetAddress source, long now) {
        description = "connection " + index + (source == null ? "" : " from " + source.getHostAddress());
        this.target = target;
        try {
            socket.open();
        } catch (IOException e) {
            state = State.CLOSED;
            thread.counters().increment(Counter.CONNECT_FAILURES);
            thread.sample(description + ": cannot open a socket: " + e);
            finishSending();
            return;
        }
        state = State.CONNECTING;
        thread.counters().increment(Counter.OPEN);
        thread.connectStarted();
        try {
            if (socket.connect(target, source, this)) {
                connected(now);
            } else {
                scheduleTimer(now + thread.connectTimeoutNanos());
            }
        } catch (IOException | RuntimeException e) {
            connectFailed("connect to " + target + " failed: " + e);
        }
    }

    void onConnectable(long now) {
        try {
            if (socket.finishConnect()) {
                connected(now);
            }
        } catch (IOException e) {
            connectFailed("connect failed: " + e);
        }
    }

    /** TCP is up: established, or with --tls the handshake comes first (under the same connect timeout). */
    private void connected(long now) throws IOException {
        if (thread.tls() == null) {
            established(now);
            return;
        }
        socket.startTls(target, this);
    }

    /** TLS took bytes (read, or after its tasks): traffic starts once the handshake is done. */
    @Override
    public void tlsProgress(IOException failure) {
        if (failure != null) {
            if (state == State.CONNECTING) {
                connectFailed("TLS handshake failed: " + failure.getMessage());
            } else {
                disconnected("TLS failed: " + failure.getMessage());
            }
            return;
        }
        if (state == State.CONNECTING && socket.takeHandshakeFinished()) {
            established(System.nanoTime());
        }
        ProtocolException undecodable = replies.undecodable();
        if (undecodable != null) {
            undecodableReplies(undecodable);
        } else {
            flushAndResume(System.nanoTime());
        }
    }

    @Override
    public void plaintext(ByteBuffer bytes) {
        replies.plaintext(bytes);
    }

    private void undecodableReplies(ProtocolException e) {
        thread.counters().increment(Counter.MISMATCHED);
        thread.sample(description + ": undecodable reply stream, closing: " + e.getMessage());
        close();
    }

    void onReadable(long now) {
        ByteBuffer buffer = thread.readBuffer();
        boolean handshaking = state == State.CONNECTING && socket.isTls();
        for (int reads = 0; reads < MAX_READS_PER_EVENT && (state == State.ESTABLISHED || handshaking); reads++) {
            buffer.clear();
            int n;
            try {
                n = socket.read(buffer);
            } catch (IOException e) {
                disconnected("read failed: " + e);
                return;
            }
            if (n < 0) {
                if (handshaking) {
                    connectFailed("the server closed the connection during the TLS handshake");
                } else {
                    disconnected("the server closed the connection");
                }
                return;
            }
            if (n == 0) {
                break;
            }
            thread.counters().add(Counter.BYTES_RECEIVED, n);
            replies.readAt(System.nanoTime());
            buffer.flip();
            if (socket.isTls()) {
                socket.receiveTls(buffer); // reports through tlsProgress
                if (state == State.CLOSED) {
                    return;
                }
                handshaking = state == State.CONNECTING;
                continue;
            }
            try {
                replies.decode(buffer);
            } catch (ProtocolException e) {
                undecodableReplies(e);
                return;
            }
            if (n < buffer.capacity()) {
                break;
            }
        }
        flushAndResume(now);
    }

    void onWritable(long now) {
        flushAndResume(now);
    }

    /** Flushes; if that empties a socket that had been full, the traffic may send what it held back. */
    private void flushAndResume(long now) {
        boolean wasFull = socket.writeInterest();
        if (flush() && wasFull) {
            traffic.onWritable(this, now);
        }
    }

    void onTimer(long now) {
        if (state == State.CONNECTING) {
            connectFailed("not connected within " + thread.connectTimeoutNanos() / 1_000_000 + " ms");
        } else if (state == State.ESTABLISHED) {
            traffic.onTimer(this, now);
        }
    }

    /** True when a request started (or intended) at {@code startNanos} may go out now. */
    boolean mayIssue(long startNanos) {
        return state == State.ESTABLISHED && startNanos < thread.sendLimitNanos()
                && (startNanos < thread.measureStartNanos() || quota > 0);
    }

    /** Encodes the next request, stamped with {@code startNanos}; {@link #flush()} sends it. */
    void issue(long startNanos) {
        if (window.isFull()) {
            long id = window.evictOldest();
            thread.counters().increment(Counter.LOST);
            thread.sample(description + ": no reply to id " + id + " while " + InFlightWindow.DEFAULT_MAX_SPAN
                    + " later requests were sent");
        }
        long id = window.register(startNanos);
        if (thread.framing() == Framing.BINARY) {
            thread.requests().writeBinaryFrame(id, out);
        } else {
            thread.encoder().encode(thread.requests().create(id), out);
        }
        if (startNanos >= thread.measureStartNanos()) {
            thread.counters().increment(Counter.REQUESTS_SENT);
            if (--quota == 0) {
                finishSending();
            }
        } else {
            thread.counters().increment(Counter.WARMUP_SENT);
        }
    }

    /** Writes what the socket takes; true when nothing is left waiting (false: full, or closed). */
    boolean flush() {
        if (state != State.ESTABLISHED && (state != State.CONNECTING || !socket.isTls())) {
            return false;
        }
        boolean drained;
        try {
            drained = socket.write(out);
        } catch (IOException e) {
            disconnected("write failed: " + e);
            return false;
        }
        return drained && state == State.ESTABLISHED;
    }

    /** Counts requests that were due but never went out as sent and lost (the server never let them through). */
    void countUnsent(long warmup, long measured) {
        Counters counters = thread.counters();
        counters.add(Counter.WARMUP_SENT, warmup);
        counters.add(Counter.REQUESTS_SENT, measured);
        counters.add(Counter.LOST, warmup + measured);
        quota -= measured;
    }

    /** Closes at the end of the run: requests still due or in flight are lost. */
    void closeAtEnd(long now) {
        if (state == State.ESTABLISHED) {
            long lostBefore = thread.counters().get(Counter.LOST);
            traffic.abandon(this, now);
            long unsent = thread.counters().get(Counter.LOST) - lostBefore;
            if (unsent > 0 || window.outstanding() > 0) {
                thread.sample(description + ": at the end, " + window.outstanding() + " request(s) had no reply"
                        + (unsent > 0 ? " and " + unsent + " due request(s) could not be sent" : ""));
            }
        }
        close();
    }

    boolean hasWork() {
        return state == State.ESTABLISHED && traffic.hasWork(this);
    }

    private void established(long now) {
        state = State.ESTABLISHED;
        thread.connectFinished();
        thread.timers().cancel(this);
        thread.counters().increment(Counter.HELD);
        if (!socket.isTls()) {
            socket.readOnly(); // with TLS it already is, plus OP_WRITE if records wait
        }
        replies.start(thread.framing(), description);
        traffic.onEstablished(this, now);
    }

    private void connectFailed(String reason) {
        thread.counters().increment(Counter.CONNECT_FAILURES);
        thread.sample(description + ": " + reason);
        close();
    }

    private void disconnected(String reason) {
        thread.counters().increment(Counter.DISCONNECTS);
        thread.sample(description + ": " + reason + " with " + window.outstanding() + " request(s) in flight");
        close();
    }

    /** Closes the socket; requests in flight are lost. Safe to call more than once. */
    void close() {
        if (state == State.CLOSED || state == State.NEW) {
            state = State.CLOSED;
            return;
        }
        Counters counters = thread.counters();
        if (state == State.CONNECTING) {
            thread.connectFinished();
        } else {
            counters.add(Counter.LOST, window.abandonAll());
            counters.add(Counter.HELD, -1);
        }
        counters.add(Counter.OPEN, -1);
        state = State.CLOSED;
        thread.timers().cancel(this);
        out.clear();
        replies.close();
        socket.close();
        finishSending();
    }

    private void finishSending() {
        if (!sendingFinished) {
            sendingFinished = true;
            thread.senderFinished();
        }
    }

    void scheduleTimer(long at) {
        thread.timers().schedule(this, at);
    }

    State state() { return state; }
    int outstanding() { return window.outstanding(); }
    int pendingBytes() { return out.size(); }
    /** Measured requests this connection may still send ({@code Long.MAX_VALUE}-ish when unlimited). */
    long quota() { return quota; }
    long sendLimitNanos() { return thread.sendLimitNanos(); }
    long measureStartNanos() { return thread.measureStartNanos(); }
    SplittableRandom random() { return thread.random(); }
}
