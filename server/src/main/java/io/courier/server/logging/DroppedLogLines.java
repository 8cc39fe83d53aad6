package io.courier.server.logging;

import java.util.concurrent.atomic.LongAdder;

/**
 * How many log lines the asynchronous appenders dropped because their queue was full (a disk or journal slower
 * than the server logs). Process-wide, like the log itself; free of Logback classes, so the metrics can read it
 * whether or not Logback is the SLF4J provider.
 */
public final class DroppedLogLines {
    private static final LongAdder DROPPED = new LongAdder();

    private DroppedLogLines() {
    }

    static void dropped() {
        DROPPED.increment();
    }

    /** Lines dropped since the process started. */
    public static long count() {
        return DROPPED.sum();
    }
}
