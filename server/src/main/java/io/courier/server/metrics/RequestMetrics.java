package io.courier.server.metrics;

import io.courier.protocol.ErrorCode;
import io.courier.protocol.Message;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The requests of one message type: how many got which outcome ({@code ok} or the error code) and how long each
 * took from its last byte read to its reply queued. One instance per type, looked up once when the dispatcher is
 * built (never by string per request), written by the event loop thread only.
 */
public final class RequestMetrics {
    /** The outcome label of a successful reply. */
    public static final String OK = "ok";
    /** The outcome label of an error reply whose code PROTOCOL.md does not list (a plugin's own, say). */
    public static final String OTHER = "other";

    private static final ErrorCode[] CODES = ErrorCode.values();

    private final String type;
    private final LatencyHistogram duration = new LatencyHistogram(LatencyHistogram.REQUEST_BOUNDS_SECONDS);
    private long ok;
    private final long[] errors = new long[CODES.length];
    private long otherErrors;

    RequestMetrics(String type) {
        this.type = type;
    }

    public String type() {
        return type;
    }

    /**
     * Counts {@code reply} as the answer to a request decoded at {@code receivedNanos} ({@link System#nanoTime}),
     * and returns it, so a dispatcher can write {@code return metrics.replied(start, reply)}. Loop thread only.
     */
    public Message replied(long receivedNanos, Message reply) {
        duration.observe(System.nanoTime() - receivedNanos);
        if (reply == null || !reply.isReply() || reply.isOk()) {
            ok++;
        } else {
            String wireName = reply.errorCode();
            ErrorCode code = wireName == null ? null : ErrorCode.fromWireName(wireName);
            if (code == null) {
                otherErrors++;
            } else {
                errors[code.ordinal()]++;
            }
        }
        return reply;
    }

    /** A copy, or null when no request of this type was seen (so idle types cost no series). Loop thread only. */
    Snapshot snapshot() {
        if (duration.count() == 0) {
            return null;
        }
        Map<String, Long> outcomes = new LinkedHashMap<>();
        if (ok > 0) {
            outcomes.put(OK, ok);
        }
        for (ErrorCode code : CODES) {
            if (errors[code.ordinal()] > 0) {
                outcomes.put(code.wireName(), errors[code.ordinal()]);
            }
        }
        if (otherErrors > 0) {
            outcomes.put(OTHER, otherErrors);
        }
        return new Snapshot(Collections.unmodifiableMap(outcomes), duration.snapshot());
    }

    /**
     * One type's requests at one moment.
     *
     * @param outcomes requests by outcome: {@code ok}, an error code's wire name, or {@code other}; only those seen
     * @param duration from the request's last byte read to its reply queued
     */
    public record Snapshot(Map<String, Long> outcomes, LatencyHistogram.Snapshot duration) {
    }
}
