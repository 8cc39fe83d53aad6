package io.courier.server.logging;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * Logback's {@link AsyncAppender}, never blocking the caller, that counts what it drops ({@link DroppedLogLines},
 * exported as {@code courier_log_dropped_total}). The event loop logs through it, so a slow disk or journal costs
 * log lines, never the loop's time.
 *
 * <p>Configure it with {@code neverBlock=true} and {@code discardingThreshold=0}: then Logback drops a line only
 * when the queue is full, which is exactly when this counts it. (Logback's own default, discarding INFO and below
 * once the queue is 80% full, would lose lines silently.) Two threads racing for the last free slot may lose one
 * line uncounted: the count is a lower bound, exact whenever one thread logs at a time.
 */
public final class CountingAsyncAppender extends AsyncAppender {
    @Override
    protected void append(ILoggingEvent event) {
        if (isStarted() && getRemainingCapacity() == 0) {
            DroppedLogLines.dropped();
            return;
        }
        super.append(event);
    }
}
