package io.courier.server.ops;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.AppenderBase;
import io.courier.server.logging.CountingAsyncAppender;
import io.courier.server.logging.DroppedLogLines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The asynchronous appender in front of every destination: a destination that stops (a disk that hangs) costs
 * the logging thread nothing; what does not fit the queue is dropped and counted, and nothing else is lost.
 */
@Timeout(30)
class DroppedLogLinesTest {
    /** A destination that takes its lines only once it is let go. */
    static final class StuckDestination extends AppenderBase<ILoggingEvent> {
        final CountDownLatch unstuck = new CountDownLatch(1);
        final List<String> written = new CopyOnWriteArrayList<>();

        @Override
        protected void append(ILoggingEvent event) {
            try {
                unstuck.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            written.add(event.getFormattedMessage());
        }
    }

    @Test
    void aStuckDestinationNeverBlocksTheCallerAndDropsAreCounted() throws Exception {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        StuckDestination destination = new StuckDestination();
        destination.setContext(context);
        destination.start();
        CountingAsyncAppender async = new CountingAsyncAppender();
        async.setContext(context);
        async.setQueueSize(4);
        async.setDiscardingThreshold(0);
        async.setNeverBlock(true);
        async.addAppender(destination);
        async.start();
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.addAppender(async);

        long droppedBefore = DroppedLogLines.count();
        root.info("line 0"); // the worker takes this one and hangs in the destination
        await().atMost(Duration.ofSeconds(10)).until(() -> async.getNumberOfElementsInQueue() == 0);
        long started = System.nanoTime();
        for (int i = 1; i <= 20; i++) {
            root.info("line {}", i); // 4 fit the queue, 16 are dropped
        }
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertTrue(tookMillis < 5_000, "logging waited for the stuck destination: " + tookMillis + " ms");
        assertEquals(16, DroppedLogLines.count() - droppedBefore);

        destination.unstuck.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> destination.written.size() == 5);
        assertEquals(List.of("line 0", "line 1", "line 2", "line 3", "line 4"), destination.written);
        context.stop();
    }
}
