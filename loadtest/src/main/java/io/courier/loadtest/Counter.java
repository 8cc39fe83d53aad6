package io.courier.loadtest;

/** What a client thread counts. Error kinds are those of the report's {@code errors} object. */
enum Counter {
    /** Requests issued in the measured period (after ramp-up and warm-up). */
    REQUESTS_SENT,
    /** Correct replies to measured requests. */
    REPLIES_OK,
    /** Requests issued during ramp-up and warm-up. */
    WARMUP_SENT,
    /** Correct replies to warm-up requests. */
    WARMUP_OK,
    LOST(true),
    DUPLICATED(true),
    MISMATCHED(true),
    ERROR_REPLIES(true),
    CONNECT_FAILURES(true),
    DISCONNECTS(true),
    /** Server messages without {@code ok} and without an id (server events): not an error, only counted. */
    EVENTS,
    BYTES_SENT,
    BYTES_RECEIVED,
    /** Gauge: sockets open, connecting or established. */
    OPEN,
    /** Gauge: connections established and not closed. */
    HELD;

    private final boolean error;

    Counter() {
        this(false);
    }

    Counter(boolean error) {
        this.error = error;
    }

    /** True for the kinds that make the run fail. */
    boolean isError() {
        return error;
    }
}
