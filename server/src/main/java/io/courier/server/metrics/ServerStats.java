package io.courier.server.metrics;

import io.courier.protocol.ErrorCode;
import io.courier.protocol.Message;
import io.courier.server.logging.DroppedLogLines;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The server's counters. Written only by the event loop thread (plain fields, no atomics on the hot path); read a
 * consistent copy with {@link #snapshot()} from the loop thread as well.
 */
public final class ServerStats {
    /** The {@code type} label of requests for a type no handler serves. */
    public static final String UNKNOWN_TYPE = "(unknown)";

    private final long startedAtMillis = System.currentTimeMillis();
    private long connectionsOpen;
    private long connectionsTotal;
    private long messagesIn;
    private long messagesOut;
    private long bytesIn;
    private long bytesOut;
    private final long[] errors = new long[ErrorCode.values().length];
    private final long[] closes = new long[CloseReason.values().length];
    private long loopLagNanos;
    private long maxLoopLagNanos;
    private final LatencyHistogram loopLag = new LatencyHistogram(LatencyHistogram.LOOP_LAG_BOUNDS_SECONDS);
    /** When the loop last ran its lag probe; the one field other threads read (health checks), hence volatile. */
    private volatile long loopAliveAtNanos = System.nanoTime();
    private long queuedReplyBytes;
    private long bufferedInputBytes;
    private long tlsHandshakes;
    private long tlsHandshakeFailures;
    private long maxConnectionQueuedBytes;
    /** Volatile: /readyz reads it from its own thread without waiting for the loop. */
    private volatile Cluster cluster = Cluster.OFF;
    private final Map<String, RequestMetrics> requests = new TreeMap<>();
    private RequestMetrics unknownTypes;

    public void connectionOpened() {
        connectionsOpen++;
        connectionsTotal++;
    }

    public void connectionClosed(CloseReason reason) {
        connectionsOpen--;
        closes[reason.ordinal()]++;
    }

    /** A connection turned away at accept (it was never counted open). */
    public void connectionRejected() {
        closes[CloseReason.REJECTED.ordinal()]++;
    }

    public void messageIn() {
        messagesIn++;
    }

    public void bytesIn(long bytes) {
        bytesIn += bytes;
    }

    public void bytesOut(long bytes) {
        bytesOut += bytes;
    }

    /**
     * Reply bytes were added to ({@code delta > 0}) or left ({@code delta < 0}) a connection's write queue, which
     * now holds {@code connectionQueued} bytes.
     */
    public void replyBytesQueued(long delta, long connectionQueued) {
        queuedReplyBytes += delta;
        if (connectionQueued > maxConnectionQueuedBytes) {
            maxConnectionQueuedBytes = connectionQueued;
        }
    }

    /** Counts an outgoing message, and its error code when it is a failed reply. Returns that code or null. */
    public String sent(Message message) {
        messagesOut++;
        if (!message.isReply() || message.isOk()) {
            return null;
        }
        String wireName = message.errorCode();
        ErrorCode code = wireName == null ? null : ErrorCode.fromWireName(wireName);
        if (code != null) {
            errors[code.ordinal()]++;
        }
        return wireName;
    }

    /** Bytes of partial incoming messages held by decoders changed by {@code delta}, all connections together. */
    public void inputBytesBuffered(long delta) {
        bufferedInputBytes += delta;
    }

    /** A TLS handshake completed. */
    public void tlsHandshake() {
        tlsHandshakes++;
    }

    /** A TLS handshake failed (not TLS, refused protocol or certificate, garbage) or never finished. */
    public void tlsHandshakeFailure() {
        tlsHandshakeFailures++;
    }

    /** The latest measurement of how late the loop ran a due timer. */
    public void loopLag(long nanos) {
        loopLagNanos = nanos;
        maxLoopLagNanos = Math.max(maxLoopLagNanos, nanos);
        loopLag.observe(nanos);
        loopAlive();
    }

    /** The loop is turning (its probe ran): what {@code /healthz} watches. */
    public void loopAlive() {
        loopAliveAtNanos = System.nanoTime();
    }

    /** Nanoseconds since the loop last showed it turns. Any thread. */
    public long nanosSinceLoopAlive() {
        return System.nanoTime() - loopAliveAtNanos;
    }

    /**
     * The counters of requests of {@code type}, made once per type when the dispatcher is built, so a request
     * costs no lookup by name. Not thread-safe: call before the server starts, or on the loop thread.
     */
    public RequestMetrics requests(String type) {
        return requests.computeIfAbsent(type, RequestMetrics::new);
    }

    /** The counters of requests for types no handler serves (one series, whatever the clients send). */
    public RequestMetrics unknownTypeRequests() {
        if (unknownTypes == null) {
            unknownTypes = new RequestMetrics(UNKNOWN_TYPE);
        }
        return unknownTypes;
    }

    public long connectionsOpen() {
        return connectionsOpen;
    }

    /** Partial input plus unsent replies held now, all connections together: what max-buffered-bytes bounds. */
    public long bufferedBytes() {
        return bufferedInputBytes + queuedReplyBytes;
    }

    /** The cluster link as of now; any thread. */
    public Cluster cluster() {
        return cluster;
    }

    /** The cluster link changed state ({@code connecting}, {@code connected}, {@code disconnected}). */
    public void clusterState(String instance, String state) {
        boolean lost = cluster.state().equals("connected") && !state.equals("connected");
        cluster = new Cluster(instance, state, cluster.linkLosses() + (lost ? 1 : 0));
    }

    /** An immutable copy of every counter. Call on the loop thread. */
    public Snapshot snapshot() {
        Map<ErrorCode, Long> errorCounts = new EnumMap<>(ErrorCode.class);
        for (ErrorCode code : ErrorCode.values()) {
            errorCounts.put(code, errors[code.ordinal()]);
        }
        Map<CloseReason, Long> closeCounts = new EnumMap<>(CloseReason.class);
        for (CloseReason reason : CloseReason.values()) {
            closeCounts.put(reason, closes[reason.ordinal()]);
        }
        Map<String, RequestMetrics.Snapshot> requestCounts = new TreeMap<>();
        for (RequestMetrics type : requests.values()) {
            addIfSeen(requestCounts, type);
        }
        if (unknownTypes != null) {
            addIfSeen(requestCounts, unknownTypes);
        }
        return new Snapshot(System.currentTimeMillis() - startedAtMillis, connectionsOpen, connectionsTotal,
                messagesIn, messagesOut, bytesIn, bytesOut, errorCounts, closeCounts, loopLagNanos, maxLoopLagNanos,
                queuedReplyBytes, maxConnectionQueuedBytes, bufferedInputBytes, loopLag.snapshot(),
                Collections.unmodifiableMap(requestCounts), DroppedLogLines.count(),
                new Tls(tlsHandshakes, tlsHandshakeFailures), cluster);
    }

    private static void addIfSeen(Map<String, RequestMetrics.Snapshot> into, RequestMetrics type) {
        RequestMetrics.Snapshot snapshot = type.snapshot();
        if (snapshot != null) {
            into.put(type.type(), snapshot);
        }
    }

    /**
     * Rooms across instances: this instance's id, the link's state ({@code off} without {@code --cluster}) and
     * how often a working link was lost.
     */
    public record Cluster(String instance, String state, long linkLosses) {
        static final Cluster OFF = new Cluster(null, "off", 0);
    }

    /**
     * The counters at one moment.
     *
     * @param loopLagNanos             how late the loop ran its last due timer
     * @param maxLoopLagNanos          the worst such lag since the start
     * @param queuedReplyBytes         reply bytes waiting in write queues now, all connections together
     * @param maxConnectionQueuedBytes the most reply bytes one connection has had queued since the start: what
     *                                 the watermarks and the slow-consumer limit keep bounded
     * @param bufferedInputBytes       bytes of partial incoming messages held now, all connections together
     * @param loopLag                  every lag measurement since the start (one each 100 ms)
     * @param requests                 by type (sorted), the types requested at least once
     * @param droppedLogLines          log lines dropped because the log could not keep up (process-wide)
     * @param tls                      the TLS listeners' handshakes
     * @param cluster                  the cluster link
     */
    public record Snapshot(long uptimeMillis, long connectionsOpen, long connectionsTotal, long messagesIn,
                           long messagesOut, long bytesIn, long bytesOut, Map<ErrorCode, Long> errors,
                           Map<CloseReason, Long> closes, long loopLagNanos, long maxLoopLagNanos,
                           long queuedReplyBytes, long maxConnectionQueuedBytes, long bufferedInputBytes,
                           LatencyHistogram.Snapshot loopLag, Map<String, RequestMetrics.Snapshot> requests,
                           long droppedLogLines, Tls tls,
                           Cluster cluster) {
        /** Connections turned away at the connection limit. */
        public long connectionsRejected() {
            return closes.get(CloseReason.REJECTED);
        }
    }

    /** TLS handshakes completed and failed since the start (stats {@code tls}, metrics {@code courier_tls_*}). */
    public record Tls(long handshakes, long handshakeFailures) {
    }
}
