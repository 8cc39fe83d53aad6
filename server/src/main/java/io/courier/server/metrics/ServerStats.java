package io.courier.server.metrics;

import io.courier.protocol.ErrorCode;

import java.util.EnumMap;
import java.util.Map;

/**
 * The server's counters. Written only by the event loop thread (plain fields, no atomics on the hot path); read a
 * consistent copy with {@link #snapshot()} from the loop thread as well.
 */
public final class ServerStats {
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

    public void messageOut() {
        messagesOut++;
    }

    public void bytesOut(long bytes) {
        bytesOut += bytes;
    }

    /**
     * Counts one error reply. A code that is not one of ours ({@code null}: a handler built its own error reply
     * with a made-up code) is not counted, rather than failing the loop thread that writes the reply.
     */
    public void error(ErrorCode code) {
        if (code == null) {
            return;
        }
        errors[code.ordinal()]++;
    }

    /** The latest measurement of how late the loop ran a due timer. */
    public void loopLag(long nanos) {
        loopLagNanos = nanos;
        maxLoopLagNanos = Math.max(maxLoopLagNanos, nanos);
    }

    public long connectionsOpen() {
        return connectionsOpen;
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
        return new Snapshot(System.currentTimeMillis() - startedAtMillis, connectionsOpen, connectionsTotal,
                messagesIn, messagesOut, bytesIn, bytesOut, errorCounts, closeCounts, loopLagNanos, maxLoopLagNanos);
    }

    /** The counters at one moment. */
    public record Snapshot(long uptimeMillis, long connectionsOpen, long connectionsTotal, long messagesIn,
                           long messagesOut, long bytesIn, long bytesOut, Map<ErrorCode, Long> errors,
                           Map<CloseReason, Long> closes, long loopLagNanos, long maxLoopLagNanos) {
        /** Connections turned away at the connection limit. */
        public long connectionsRejected() {
            return closes.get(CloseReason.REJECTED);
        }
    }
}
