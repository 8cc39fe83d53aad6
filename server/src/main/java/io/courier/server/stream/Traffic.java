package io.courier.server.stream;

/**
 * One connection's counters and clocks: what the disconnect log line reports, and what the timeouts look at.
 * Loop-thread only.
 */
final class Traffic {
    final long openedAtNanos = System.nanoTime();
    long lastActivityNanos = openedAtNanos;
    /** When the message now partial started arriving, or 0 when none is partial. */
    long partialSinceNanos;
    long messagesIn;
    long messagesOut;
    long bytesIn;
    long bytesOut;

    void read(int bytes, long now) {
        bytesIn += bytes;
        lastActivityNanos = now;
    }

    void wrote(long bytes, long now) {
        bytesOut += bytes;
        lastActivityNanos = now;
    }

    /** Tracks whether a message is partial after a decode, for the frame timeout. */
    void partial(boolean partial) {
        if (!partial) {
            partialSinceNanos = 0;
        } else if (partialSinceNanos == 0) {
            partialSinceNanos = lastActivityNanos;
        }
    }

    /** "after 1200 ms: 10 messages in, 10 out; 300 bytes in, 500 out". */
    String summary() {
        return "after " + (System.nanoTime() - openedAtNanos) / 1_000_000 + " ms: " + messagesIn + " messages in, "
                + messagesOut + " out; " + bytesIn + " bytes in, " + bytesOut + " out";
    }
}
