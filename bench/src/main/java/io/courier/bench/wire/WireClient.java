package io.courier.bench.wire;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The neutral benchmark client: one NIO selector thread driving Courier, Redis or NATS each in its own protocol,
 * with the same traffic and measurement code for all, so only the server (and its protocol's codec) differs. It
 * writes a JSON report in the load-test client's format, so the suite reads both alike.
 *
 * <p>{@code java -cp bench.jar io.courier.bench.wire.WireClient --protocol redis --port 6379 --traffic fanout
 * --members 50 --payload 100 --duration 10s --warmup 5s --json r.json}. Exit code 0 when every reply and delivery
 * was right, 1 when some were lost, duplicated, out of order or refused, 2 for a wrong option.
 */
public final class WireClient {
    /** How long connecting and subscribing may take before the run counts as failed. */
    private static final long SET_UP_NANOS = TimeUnit.SECONDS.toNanos(60);
    /** How long after the measured period replies and deliveries still due may take. */
    private static final long DRAIN_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** Connections opened at once: a burst of 1,000 would overflow the server's accept backlog. */
    private static final int CONNECTING_AT_ONCE = 64;

    private final WireOptions options;
    private final WireRecorder recorder = new WireRecorder();
    private final Traffic traffic;
    private final List<WireConnection> connections = new ArrayList<>();
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(256 * 1024);
    private Selector selector;
    private boolean fatal;

    WireClient(WireOptions options) {
        this.options = options;
        this.traffic = options.fanout()
                ? new FanoutTraffic(options.members(), options.window(), options.rate(), options.payload(), recorder)
                : new RequestReplyTraffic(options.connections(), options.depth(), options.payload(), recorder);
    }

    public static void main(String[] args) throws Exception {
        WireOptions options;
        try {
            options = WireOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("wire: " + e.getMessage());
            System.exit(2);
            return;
        }
        WireClient client = new WireClient(options);
        WireReport report = client.run();
        System.out.println(report.text());
        if (options.json() != null) {
            report.writeJson(options.json());
        }
        System.exit(report.errors() == 0 ? 0 : 1);
    }

    /** Connects, sets up, runs the warm-up and the measured period, drains, and reports. */
    WireReport run() throws IOException {
        long measuredNanos = 0;
        try (Selector opened = Selector.open()) {
            selector = opened;
            if (connectAll() && setUp()) {
                // A progress line in the load tool's form: the suite starts its warm-up clock on it.
                System.out.println("[0.0s] open=" + connections.size() + " set up; warm-up starts");
                System.out.flush();
                traffic.tick(System.nanoTime());
                long start = System.nanoTime();
                long measureFrom = start + options.warmup().toNanos();
                long measureTo = measureFrom + options.duration().toNanos();
                loopUntil(measureFrom, false);
                recorder.measuring = true;
                long began = System.nanoTime();
                loopUntil(measureTo, false);
                recorder.measuring = false;
                measuredNanos = System.nanoTime() - began;
                traffic.stopSending();
                loopUntil(System.nanoTime() + DRAIN_NANOS, true);
            }
            traffic.countLost();
        } finally {
            for (WireConnection connection : connections) {
                connection.channel.close();
            }
        }
        return new WireReport(options, recorder, measuredNanos / 1e9);
    }

    private boolean connectAll() throws IOException {
        InetSocketAddress address = new InetSocketAddress(options.host(), options.port());
        long deadline = System.nanoTime() + SET_UP_NANOS;
        int wanted = traffic.connections();
        int pending = 0;
        int connected = 0;
        while (connected < wanted && System.nanoTime() < deadline) {
            while (pending < CONNECTING_AT_ONCE && connections.size() < wanted) {
                SocketChannel channel = SocketChannel.open();
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                WireConnection connection = new WireConnection(connections.size(), channel,
                        WireCodec.forProtocol(options.protocol()), traffic);
                connections.add(connection);
                if (channel.connect(address)) {
                    connected++;
                    connection.key = channel.register(selector, SelectionKey.OP_READ, connection);
                } else {
                    pending++;
                    connection.key = channel.register(selector, SelectionKey.OP_CONNECT, connection);
                }
            }
            selector.select(100);
            for (SelectionKey key : selector.selectedKeys()) {
                WireConnection connection = (WireConnection) key.attachment();
                if (key.isValid() && key.isConnectable()) {
                    pending--;
                    try {
                        connection.channel.finishConnect();
                        key.interestOps(SelectionKey.OP_READ);
                        connected++;
                    } catch (IOException e) {
                        recorder.connectFailures++;
                        recorder.sample("connect: " + e.getMessage());
                        return false;
                    }
                }
            }
            selector.selectedKeys().clear();
        }
        if (connected < wanted) {
            recorder.connectFailures += wanted - connected;
            recorder.sample("only " + connected + " of " + wanted + " connections opened in time");
            return false;
        }
        for (WireConnection connection : connections) {
            connection.codec.hello(connection.out);
        }
        return true;
    }

    private boolean setUp() throws IOException {
        traffic.setUp(connections);
        long deadline = System.nanoTime() + SET_UP_NANOS;
        while (!traffic.ready()) {
            if (fatal || System.nanoTime() > deadline) {
                recorder.sample("the set-up (subscriptions) was not confirmed within 60 s");
                recorder.connectFailures++;
                return false;
            }
            flushAll();
            poll(10);
        }
        return true;
    }

    /** Runs the event loop until {@code until}; when draining, stops as soon as nothing is due any more. */
    private void loopUntil(long until, boolean draining) throws IOException {
        while (!fatal) {
            long now = System.nanoTime();
            if (now >= until || draining && traffic.drained()) {
                return;
            }
            traffic.tick(now);
            flushAll();
            long due = traffic.nanosUntilDue(System.nanoTime());
            long waitMillis = due < 0 ? 5 : TimeUnit.NANOSECONDS.toMillis(due);
            poll(Math.min(waitMillis, Math.max(1, TimeUnit.NANOSECONDS.toMillis(until - now))));
        }
    }

    private void poll(long waitMillis) throws IOException {
        if (waitMillis <= 0) {
            selector.selectNow();
        } else {
            selector.select(waitMillis);
        }
        for (SelectionKey key : selector.selectedKeys()) {
            WireConnection connection = (WireConnection) key.attachment();
            try {
                if (key.isValid() && key.isReadable()) {
                    readFrom(connection);
                }
                if (key.isValid() && key.isWritable()) {
                    flush(connection);
                }
            } catch (IOException e) {
                close(connection, e.getMessage());
            }
        }
        selector.selectedKeys().clear();
    }

    private void readFrom(WireConnection connection) throws IOException {
        // A few reads per wake-up, so one busy connection does not starve the others.
        for (int reads = 0; reads < 4; reads++) {
            readBuffer.clear();
            int n = connection.channel.read(readBuffer);
            if (n < 0) {
                close(connection, "the server closed the connection");
                return;
            }
            if (n == 0) {
                return;
            }
            recorder.bytes(0, n);
            readBuffer.flip();
            connection.received(readBuffer);
            if (n < readBuffer.capacity()) {
                return;
            }
        }
    }

    private void flushAll() throws IOException {
        for (WireConnection connection : connections) {
            if (connection.open && !connection.out.isEmpty()) {
                try {
                    flush(connection);
                } catch (IOException e) {
                    close(connection, e.getMessage());
                }
            }
        }
    }

    private void flush(WireConnection connection) throws IOException {
        int written = connection.out.flushTo(connection.channel);
        recorder.bytes(written, 0);
        int ops = connection.out.isEmpty() ? SelectionKey.OP_READ : SelectionKey.OP_READ | SelectionKey.OP_WRITE;
        if (connection.key.interestOps() != ops) {
            connection.key.interestOps(ops);
        }
    }

    private void close(WireConnection connection, String why) throws IOException {
        if (!connection.open) {
            return;
        }
        connection.open = false;
        recorder.disconnects++;
        recorder.sample(connection + " closed: " + why);
        connection.key.cancel();
        connection.channel.close();
        traffic.onClosed(connection);
        if (!traffic.ready()) {
            fatal = true;
        }
    }
}
