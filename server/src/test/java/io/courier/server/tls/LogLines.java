package io.courier.server.tls;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * What the server logs at INFO and above while a test runs, as "LEVEL message" lines. The tests' console shows
 * warnings only; the server's INFO lines come here alone (not to the console) while captured.
 */
final class LogLines extends AppenderBase<ILoggingEvent> implements AutoCloseable {
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Logger server = (Logger) LoggerFactory.getLogger("io.courier.server");
    private Level level;
    private boolean additive;

    static LogLines capture() {
        LogLines capture = new LogLines();
        capture.setContext(capture.server.getLoggerContext());
        capture.start();
        capture.level = capture.server.getLevel();
        capture.additive = capture.server.isAdditive();
        capture.server.setLevel(Level.INFO);
        capture.server.setAdditive(false);
        capture.server.addAppender(capture);
        return capture;
    }

    @Override
    protected void append(ILoggingEvent event) {
        if (event.getLevel().isGreaterOrEqual(Level.INFO)) {
            lines.add(event.getLevel() + " " + event.getFormattedMessage());
        }
    }

    /** The lines containing {@code text}. */
    List<String> containing(String text) {
        return lines.stream().filter(line -> line.contains(text)).collect(Collectors.toList());
    }

    List<String> all() {
        return List.copyOf(lines);
    }

    @Override
    public void close() {
        server.detachAppender(this);
        server.setLevel(level);
        server.setAdditive(additive);
        stop();
    }
}
