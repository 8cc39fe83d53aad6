package io.courier.loadtest;

import io.courier.protocol.Message;
import io.courier.protocol.MessageDecoder;
import io.courier.protocol.ProtocolException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * One of connect mode's C concurrent connections, on its own thread: connect (and the TLS handshake with
 * {@code --tls}), send one {@code ping}, read its reply, close; then the next. The latency of each counts from
 * before the connect to the reply. Blocking sockets: the cost being measured is the server's accept, handshake and
 * first reply, and one thread per concurrent connection keeps that plain.
 */
final class ConnectWorker implements Runnable {
    /** After a failed connect, before the next: a server that is down is not hammered by a spinning loop. */
    private static final long FAILURE_PAUSE_MILLIS = 10;

    /** Shared by all workers of a run. */
    static final class Tally {
        final LongAdder warmupSent = new LongAdder();
        final LongAdder warmupOk = new LongAdder();
        final LongAdder measuredSent = new LongAdder();
        final LongAdder measuredOk = new LongAdder();
        final LongAdder connectFailures = new LongAdder();
        final LongAdder errorReplies = new LongAdder();
        final LongAdder mismatched = new LongAdder();
        final LongAdder disconnects = new LongAdder();
        final LongAdder bytesSent = new LongAdder();
        final LongAdder bytesReceived = new LongAdder();

        long errors() {
            return connectFailures.sum() + errorReplies.sum() + mismatched.sum() + disconnects.sum();
        }
    }

    private final int index;
    private final LoadOptions options;
    private final List<InetSocketAddress> targets;
    private final Timeline timeline;
    private final ConnectRun run;
    private long connections;

    /** What the workers share besides the tally: when to stop, where latencies go, the error samples. */
    interface ConnectRun {
        boolean sendingOver(long now);
        IntervalSampler sampler();
        Tally tally();
        void sample(String text);
    }

    ConnectWorker(int index, LoadOptions options, List<InetSocketAddress> targets, Timeline timeline, ConnectRun run) {
        this.index = index;
        this.options = options;
        this.targets = targets;
        this.timeline = timeline;
        this.run = run;
    }

    @Override
    public void run() {
        Tally tally = run.tally();
        while (true) {
            long start = System.nanoTime();
            if (run.sendingOver(start)) {
                return;
            }
            boolean measured = start >= timeline.measureStartNanos();
            (measured ? tally.measuredSent : tally.warmupSent).increment();
            long n = connections++;
            if (once(n, start, measured)) {
                (measured ? tally.measuredOk : tally.warmupOk).increment();
            }
        }
    }

    /** One connection; true when its ping was answered correctly. */
    private boolean once(long n, long start, boolean measured) {
        // The targets and source addresses go round-robin over all connections of all workers.
        int slot = (int) ((n * options.connections() + index) % Integer.MAX_VALUE);
        InetSocketAddress target = targets.get(slot % targets.size());
        List<InetAddress> sources = options.sourceAddresses();
        int timeoutMillis = (int) Math.min(Integer.MAX_VALUE, options.connectTimeout().toMillis());
        Socket socket = new Socket();
        try {
            try {
                socket.setTcpNoDelay(true);
                if (!sources.isEmpty()) {
                    socket.bind(new InetSocketAddress(sources.get(slot % sources.size()), 0));
                }
                socket.connect(target, timeoutMillis);
                socket.setSoTimeout(timeoutMillis);
                if (options.clientTls() != null) {
                    socket = options.clientTls().wrap(socket, target.getHostString(), target.getPort());
                    ((javax.net.ssl.SSLSocket) socket).startHandshake();
                }
            } catch (IOException e) {
                run.tally().connectFailures.increment();
                run.sample("connection to " + target + ": " + (options.clientTls() != null ? "connect or TLS "
                        + "handshake" : "connect") + " failed: " + e);
                pause();
                return false;
            }
            return pingOnce(socket, n, start, measured, target);
        } finally {
            try {
                socket.close();
            } catch (IOException ignored) {
                // done with it either way
            }
        }
    }

    private boolean pingOnce(Socket socket, long n, long start, boolean measured, InetSocketAddress target) {
        Tally tally = run.tally();
        long id = n + 1;
        try {
            ByteBuffer request = options.framing().encoder().encode(Message.of("ping").with("id", id));
            OutputStream out = socket.getOutputStream();
            out.write(request.array(), request.arrayOffset() + request.position(), request.remaining());
            out.flush();
            tally.bytesSent.add(request.remaining());
            Message reply = readOne(socket.getInputStream());
            long now = System.nanoTime();
            if (reply == null) {
                tally.disconnects.increment();
                run.sample("connection to " + target + ": closed by the server before the ping's reply");
                return false;
            }
            if (!reply.isOk()) {
                tally.errorReplies.increment();
                run.sample("connection to " + target + ": ping answered " + reply.errorCode() + ": "
                        + reply.errorMessage());
                return false;
            }
            if (reply.id() == null || reply.id().asLong() != id || !"ping".equals(reply.type())) {
                tally.mismatched.increment();
                run.sample("connection to " + target + ": not the reply to ping " + id + ": " + reply);
                return false;
            }
            run.sampler().record(now - start, measured);
            return true;
        } catch (IOException | ProtocolException e) {
            tally.disconnects.increment();
            run.sample("connection to " + target + ": " + e);
            return false;
        }
    }

    /** The first message the server sends, or null if it closes first. */
    private Message readOne(InputStream in) throws IOException, ProtocolException {
        Message[] first = new Message[1];
        MessageDecoder.Sink sink = new MessageDecoder.Sink() {
            @Override
            public void onMessage(Message message) {
                if (first[0] == null) {
                    first[0] = message;
                }
            }

            @Override
            public void onError(ProtocolException error) {
                run.tally().mismatched.increment();
                run.sample("a reply the decoder skipped: " + error.getMessage());
            }
        };
        ReplyStream replies = new ReplyStream(options.framing()); // a refusal before any framing is JSON text
        byte[] buffer = new byte[4096];
        try {
            int read;
            while (first[0] == null && (read = in.read(buffer)) >= 0) {
                run.tally().bytesReceived.add(read);
                replies.decode(ByteBuffer.wrap(buffer, 0, read), sink);
            }
            return first[0];
        } finally {
            replies.close();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(FAILURE_PAUSE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
