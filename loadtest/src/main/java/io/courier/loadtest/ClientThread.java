package io.courier.loadtest;

import io.courier.protocol.Framing;
import io.courier.protocol.MessageEncoder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;

/**
 * One selector thread driving its share of the connections. Each turn: open the connections whose ramp-up time
 * has come, fire due timers, wait for readiness (until the next deadline), handle it. When sending stops (the
 * duration is over, every connection has sent its share, or a stop was requested) it drains: it waits up to the
 * grace period for the replies still due, then closes every connection, counting what never came back as lost.
 *
 * <p>Everything here is confined to the thread except {@link #counters()}, {@link #intervalHistogram} and
 * {@link #requestStop()}; the results ({@link #measuredLatency()} and friends) are read after {@link #done}.
 */
final class ClientThread implements Runnable {
    /** Connects in progress at once per thread at most: a burst larger than the server's backlog only retries. */
    static final int MAX_CONNECTING = 256;
    private static final long MAX_WAIT_NANOS = 100_000_000L;
    private static final long MILLI = 1_000_000L;
    private static final int READ_BUFFER_BYTES = 64 * 1024;

    private final Timeline timeline;
    private final List<InetSocketAddress> targets;
    private final List<InetAddress> sources;
    private final List<LoadConnection> connections = new ArrayList<>();
    private final List<Integer> globalIndexes;
    private final Selector selector;
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER_BYTES);
    private final TimerQueue timers = new TimerQueue();
    private final Counters counters = new Counters();
    private final Recorder intervalLatency = new Recorder(3);
    private final Histogram measuredLatency = new Histogram(3);
    private final Map<String, Long> errorCodes = new HashMap<>();
    private final ErrorSamples samples;
    private final SplittableRandom random;
    private final RequestFactory requests;
    private final ReplyVerifier verifier;
    private final Framing framing;
    private final MessageEncoder encoder;
    private final long connectTimeoutNanos;
    private final long graceNanos;
    private final CountDownLatch done;
    private final ClientTls tls;
    /** Heap scratch for the TLS drivers of this thread's connections; null without TLS. */
    private final io.courier.protocol.tls.TlsBuffers tlsBuffers;
    /** Work posted to this thread by its own connections (TLS drivers whose tasks are done), run each turn. */
    private final java.util.ArrayDeque<Runnable> posted = new java.util.ArrayDeque<>();

    private volatile boolean stopRequested;
    private long sendLimitNanos;
    private int nextToOpen;
    private int connecting;
    private int sendersRemaining;
    private boolean draining;
    private long drainDeadline;
    private int drainBusy;
    private long sendingEndedNanos = Long.MIN_VALUE;
    private long lastMeasuredReplyNanos = Long.MIN_VALUE;
    private long heldAtStop;
    private Throwable failure;

    /**
     * @param globalIndexes the run-wide indexes of this thread's connections (they fix ramp-up times, open-loop
     *                      offsets, quotas and source addresses)
     */
    ClientThread(LoadOptions options, Timeline timeline, List<InetSocketAddress> targets, RequestFactory requests,
                 List<Integer> globalIndexes, ErrorSamples samples, CountDownLatch done, long seed)
            throws IOException {
        this.timeline = timeline;
        this.targets = targets;
        this.sources = options.sourceAddresses();
        this.globalIndexes = List.copyOf(globalIndexes);
        this.requests = requests;
        this.verifier = new ReplyVerifier(requests);
        this.framing = options.framing();
        this.encoder = framing.encoder();
        this.samples = samples;
        this.done = done;
        this.random = new SplittableRandom(seed);
        this.connectTimeoutNanos = options.connectTimeout().toNanos();
        this.graceNanos = options.grace().toNanos();
        this.sendLimitNanos = timeline.stopSendingNanos();
        this.selector = Selector.open();
        this.tls = options.clientTls();
        this.tlsBuffers = tls == null ? null : new io.courier.protocol.tls.TlsBuffers(READ_BUFFER_BYTES);
        Traffic shared = options.mode() == Mode.CLOSED ? new ClosedLoopTraffic(options.depth())
                : options.mode() == Mode.HOLD ? new HoldTraffic(options.pingInterval().toNanos()) : null;
        for (int index : this.globalIndexes) {
            Traffic traffic = shared != null ? shared : new OpenLoopTraffic(RateSchedule.forConnection(
                    timeline.startNanos(), options.rate(), options.connections(), index));
            long quota = quota(options.requests(), options.connections(), index);
            connections.add(new LoadConnection(this, index, traffic, quota));
            if (quota > 0) {
                sendersRemaining++;
            }
        }
    }

    /** Connection {@code index}'s share of {@code requests} measured requests (unlimited when 0). */
    static long quota(long requests, int connections, int index) {
        if (requests == 0) {
            return Long.MAX_VALUE;
        }
        return requests / connections + (index < requests % connections ? 1 : 0);
    }

    @Override
    public void run() {
        try {
            loop();
        } catch (Throwable t) {
            failure = t;
            samples.add("client thread " + Thread.currentThread().getName() + " failed: " + t);
        } finally {
            long now = System.nanoTime();
            if (!draining) {
                stopSending(now);
            }
            for (LoadConnection connection : connections) {
                connection.closeAtEnd(now);
            }
            try {
                selector.close();
            } catch (IOException ignored) {
                // every channel is closed already
            }
            done.countDown();
        }
    }

    private void loop() throws IOException {
        while (true) {
            long now = System.nanoTime();
            if (!draining && (stopRequested || now >= sendLimitNanos || sendersRemaining == 0)) {
                startDrain(now);
            }
            if (draining && (drainBusy == 0 || now >= drainDeadline)) {
                return;
            }
            if (!draining) {
                openDue(now);
            }
            timers.runDue(now, this::fireTimer);
            for (Runnable task = posted.poll(); task != null; task = posted.poll()) {
                task.run();
            }
            waitForEvents(System.nanoTime());
            handleReady(System.nanoTime());
        }
    }

    private void openDue(long now) {
        while (nextToOpen < connections.size() && connecting < MAX_CONNECTING
                && timeline.openAt(globalIndexes.get(nextToOpen)) <= now) {
            int index = globalIndexes.get(nextToOpen);
            InetAddress source = sources.isEmpty() ? null : sources.get(index % sources.size());
            connections.get(nextToOpen++).open(targets.get(index % targets.size()), source, now);
        }
    }

    private void fireTimer(LoadConnection connection, long now) {
        connection.onTimer(now);
        afterEvent(connection);
    }

    private void waitForEvents(long now) throws IOException {
        long deadline = timers.nextDeadline();
        if (draining) {
            deadline = drainBusy == 0 ? now : Math.min(deadline, drainDeadline);
        } else {
            deadline = Math.min(deadline, sendLimitNanos);
            if (nextToOpen < connections.size() && connecting < MAX_CONNECTING) {
                deadline = Math.min(deadline, timeline.openAt(globalIndexes.get(nextToOpen)));
            }
            if (sendersRemaining == 0 || stopRequested) {
                deadline = now;
            }
        }
        long wait = posted.isEmpty() ? Math.min(deadline - now, MAX_WAIT_NANOS) : 0;
        if (wait <= 0) {
            selector.selectNow();
        } else if (wait < MILLI) {
            // select() counts in milliseconds; for a nearer deadline, park briefly (open-loop sends are due)
            LockSupport.parkNanos(wait);
            selector.selectNow();
        } else {
            selector.select(wait / MILLI);
        }
    }

    private void handleReady(long now) {
        Iterator<SelectionKey> ready = selector.selectedKeys().iterator();
        while (ready.hasNext()) {
            SelectionKey key = ready.next();
            ready.remove();
            LoadConnection connection = (LoadConnection) key.attachment();
            if (key.isValid() && key.isConnectable()) {
                connection.onConnectable(now);
            }
            if (key.isValid() && key.isReadable()) {
                connection.onReadable(now);
            }
            if (key.isValid() && key.isWritable()) {
                connection.onWritable(now);
            }
            afterEvent(connection);
        }
    }

    private void startDrain(long now) {
        stopSending(now);
        draining = true;
        drainDeadline = now + graceNanos;
        for (LoadConnection connection : connections) {
            if (connection.hasWork()) {
                connection.drainBusy = true;
                drainBusy++;
            }
        }
    }

    private void stopSending(long now) {
        sendLimitNanos = Math.min(sendLimitNanos, now);
        sendingEndedNanos = sendLimitNanos;
        heldAtStop = counters.get(Counter.HELD);
    }

    /** While draining, notices when a connection has nothing left to wait for. */
    private void afterEvent(LoadConnection connection) {
        if (draining && connection.drainBusy && !connection.hasWork()) {
            connection.drainBusy = false;
            drainBusy--;
        }
    }

    // ---- called by connections (on this thread) ----

    void recordLatency(long startNanos, long nowNanos) {
        long latency = Math.max(0, nowNanos - startNanos);
        intervalLatency.recordValue(latency);
        if (startNanos >= timeline.measureStartNanos()) {
            measuredLatency.recordValue(latency);
            counters.increment(Counter.REPLIES_OK);
            lastMeasuredReplyNanos = Math.max(lastMeasuredReplyNanos, nowNanos);
        } else {
            counters.increment(Counter.WARMUP_OK);
        }
    }

    void errorReply(String code) {
        errorCodes.merge(code, 1L, Long::sum);
    }

    void sample(String text) {
        samples.add(text);
    }

    void connectStarted() {
        connecting++;
    }

    void connectFinished() {
        connecting--;
    }

    void senderFinished() {
        sendersRemaining--;
    }

    /** Runs {@code task} on this thread at its next turn; from this thread only. */
    void post(Runnable task) {
        posted.add(task);
    }

    ClientTls tls() { return tls; }
    io.courier.protocol.tls.TlsBuffers tlsBuffers() { return tlsBuffers; }
    Selector selector() { return selector; }
    ByteBuffer readBuffer() { return readBuffer; }
    TimerQueue timers() { return timers; }
    ReplyVerifier verifier() { return verifier; }
    RequestFactory requests() { return requests; }
    MessageEncoder encoder() { return encoder; }
    Framing framing() { return framing; }
    SplittableRandom random() { return random; }
    long connectTimeoutNanos() { return connectTimeoutNanos; }
    long sendLimitNanos() { return sendLimitNanos; }
    long measureStartNanos() { return timeline.measureStartNanos(); }

    // ---- for the runner ----

    /** Asks the thread to stop sending and drain; safe from any thread. */
    void requestStop() {
        stopRequested = true;
        if (selector.isOpen()) {
            selector.wakeup();
        }
    }

    Counters counters() {
        return counters;
    }

    /** Latencies (nanoseconds) of every correct reply since the previous call; safe from any thread. */
    Histogram intervalHistogram(Histogram recycle) {
        return intervalLatency.getIntervalHistogram(recycle);
    }

    Histogram measuredLatency() { return measuredLatency; }
    Map<String, Long> errorCodes() { return errorCodes; }
    long sendingEndedNanos() { return sendingEndedNanos; }
    long lastMeasuredReplyNanos() { return lastMeasuredReplyNanos; }
    long heldAtStop() { return heldAtStop; }
    Throwable failure() { return failure; }
}
