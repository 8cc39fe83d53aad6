package io.courier.server.metrics;

/** Why a connection ended; each has a counter and appears in the disconnect log line. */
public enum CloseReason {
    /** The client closed its side and every reply was written. */
    CLIENT_CLOSED("client closed"),
    /** The connection was reset or broke (ECONNRESET, EPIPE). */
    RESET("reset by peer"),
    /** Bytes the decoder could not resynchronise after (malformed, unknown protocol, oversized JSON text). */
    PROTOCOL_ERROR("protocol error"),
    /** Its queued replies passed the slow-consumer limit. */
    SLOW_CONSUMER("slow consumer"),
    /** A handler asked for the close. */
    SERVER_CLOSED("closed by handler"),
    /** The server is shutting down. */
    SHUTDOWN("server shutdown"),
    /** Turned away at accept because the server is at its connection limit. */
    REJECTED("rejected: at connection limit"),
    /** Silent for longer than the idle timeout, or a partial frame took too long. */
    TIMEOUT("timed out"),
    /** All connections together held more than max-buffered-bytes, and this one held the most. */
    BUFFER_BUDGET("over max-buffered-bytes"),
    /** The TLS layer failed: a handshake refused (not TLS, old protocol, bad certificate) or a broken record. */
    TLS_FAILED("TLS failed");

    private final String description;

    CloseReason(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
