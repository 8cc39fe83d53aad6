package io.courier.server.logging;

import org.slf4j.Logger;

import java.util.Locale;

/**
 * The per-connection log lines (connected, disconnected, timed out, protocol error), at the level the
 * {@code connection-log} option chose: {@code info} for a server with few connections, {@code debug} (the default)
 * so that 10,000 clients do not bury the start-up, shutdown and error lines, or {@code off}. Those other lines keep
 * their own levels whatever this says.
 */
public final class ConnectionLog {
    /** Where the per-connection lines go. */
    public enum Level {
        INFO, DEBUG, OFF;

        /** {@code info}, {@code debug} or {@code off}, any case. */
        public static Level parse(String name, String value) {
            try {
                return valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(name + " must be info, debug or off, got '" + value + "'");
            }
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Logger log;
    private final Level level;

    public ConnectionLog(Logger log, Level level) {
        this.log = log;
        this.level = level;
    }

    /** Logs one per-connection line ({@link Logger} format and arguments) at the configured level. */
    public void line(String format, Object... arguments) {
        if (level == Level.INFO) {
            log.info(format, arguments);
        } else if (level == Level.DEBUG) {
            log.debug(format, arguments);
        }
    }
}
