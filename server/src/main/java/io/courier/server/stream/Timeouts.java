package io.courier.server.stream;

import java.util.concurrent.TimeUnit;

/** The idle and frame timeout rules, as the sentence a timed-out client receives. */
final class Timeouts {
    private Timeouts() {
    }

    /**
     * Which timeout a connection has passed at {@code now}, as a sentence for its {@code timeout} error, or null.
     * A partial message older than the frame timeout (a slowloris client) comes first; then silence in both
     * directions for longer than the idle timeout. Zero disables a timeout.
     */
    static String violation(long now, long idleNanos, long frameNanos, long lastActivityNanos,
                            long partialSinceNanos) {
        if (frameNanos > 0 && partialSinceNanos != 0 && now - partialSinceNanos > frameNanos) {
            return "a message stayed incomplete for longer than frame-timeout (" + millis(frameNanos)
                    + " ms); send each message whole and promptly";
        }
        if (idleNanos > 0 && now - lastActivityNanos > idleNanos) {
            return "no traffic for longer than idle-timeout (" + millis(idleNanos)
                    + " ms); send a ping now and then to keep a quiet connection open";
        }
        return null;
    }

    /** The frame timeout passed before the transport's handshake (TLS) finished: nothing can be sent yet. */
    static String handshake(long frameNanos) {
        return "the handshake did not finish within frame-timeout (" + millis(frameNanos) + " ms)";
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
