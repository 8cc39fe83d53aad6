package io.courier.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The server's options: one table that parses {@code --name value} (or {@code --name=value}) into a
 * {@link ServerConfig} and prints the help. Every option names its value and says what it does.
 */
final class CommandLine {

    /** A wrong command line; its message is one sentence naming the option, the value and what is allowed. */
    static final class UsageException extends Exception {
        UsageException(String sentence) {
            super(sentence, null, false, false);
        }
    }

    /** What the command line asked for. */
    record Parsed(ServerConfig config, String logLevel, boolean help) {
    }

    private record Option(String name, String value, String description,
                          BiConsumer<ServerConfig.Builder, String> apply) {
    }

    private static final List<Option> OPTIONS = List.of(
            new Option("host", "ADDRESS", "address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)",
                    (b, v) -> b.host(v)),
            new Option("port", "PORT", "TCP port, 0 for any free one (default 6666)",
                    (b, v) -> b.port(integer("port", v))),
            new Option("backlog", "N", "pending-connection queue of the listening socket (default 1024)",
                    (b, v) -> b.backlog(integer("backlog", v))),
            new Option("max-header-bytes", "SIZE", "largest header or JSON-text message (default 1MiB, max 16MiB-1)",
                    (b, v) -> b.maxHeaderBytes((int) size("max-header-bytes", v))),
            new Option("max-body-bytes", "SIZE", "largest binary body (default 16MiB)",
                    (b, v) -> b.maxBodyBytes((int) size("max-body-bytes", v))),
            new Option("read-buffer-bytes", "SIZE", "the event loop's shared read buffer (default 64KiB)",
                    (b, v) -> b.readBufferBytes((int) size("read-buffer-bytes", v))),
            new Option("read-budget-bytes", "SIZE", "bytes read from one client per loop turn (default 256KiB)",
                    (b, v) -> b.readBudgetBytes((int) size("read-budget-bytes", v))),
            new Option("write-high-watermark", "SIZE",
                    "queued reply bytes above which a client is no longer read (default 1MiB)",
                    (b, v) -> b.writeHighWatermark(size("write-high-watermark", v))),
            new Option("write-low-watermark", "SIZE", "queued bytes below which reading resumes (default 256KiB)",
                    (b, v) -> b.writeLowWatermark(size("write-low-watermark", v))),
            new Option("slow-consumer-bytes", "SIZE",
                    "queued bytes above which a client that does not read is closed (default 64MiB)",
                    (b, v) -> b.slowConsumerBytes(size("slow-consumer-bytes", v))),
            new Option("accept-batch", "N", "connections accepted per loop turn (default 64)",
                    (b, v) -> b.acceptBatch(integer("accept-batch", v))),
            new Option("drain-timeout", "DURATION",
                    "at shutdown, how long queued replies may take to go out, e.g. 5s, 500ms (default 5s)",
                    (b, v) -> b.drainTimeout(duration("drain-timeout", v))),
            new Option("tcp-no-delay", "BOOL", "disable Nagle's algorithm on client sockets (default true)",
                    (b, v) -> b.tcpNoDelay(bool("tcp-no-delay", v))));

    private CommandLine() {
    }

    static Parsed parse(String[] args) throws UsageException {
        Map<String, Option> byName = new LinkedHashMap<>();
        OPTIONS.forEach(option -> byName.put(option.name(), option));
        ServerConfig.Builder builder = ServerConfig.builder();
        String logLevel = "INFO";
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                return new Parsed(null, logLevel, true);
            }
            if (!arg.startsWith("--")) {
                throw new UsageException("unexpected argument '" + arg + "'; options start with --, see --help");
            }
            String name = arg.substring(2);
            String value = null;
            int equals = name.indexOf('=');
            if (equals >= 0) {
                value = name.substring(equals + 1);
                name = name.substring(0, equals);
            }
            if (!name.equals("log-level") && !byName.containsKey(name)) {
                throw new UsageException("unknown option --" + name + "; see --help for the options");
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new UsageException("--" + name + " needs a value");
                }
                value = args[++i];
            }
            if (name.equals("log-level")) {
                logLevel = logLevel(value);
            } else {
                try {
                    byName.get(name).apply().accept(builder, value);
                } catch (IllegalArgumentException e) {
                    throw new UsageException(e.getMessage().startsWith("--") ? e.getMessage() : "--" + e.getMessage());
                }
            }
        }
        try {
            return new Parsed(builder.build(), logLevel, false);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--" + e.getMessage());
        }
    }

    static String help() {
        StringBuilder text = new StringBuilder();
        text.append("Usage: java -jar server.jar [options]\n\n")
                .append("A non-blocking message server: binary frames and JSON text on one port (see PROTOCOL.md).\n")
                .append("Sizes take a suffix (KiB, MiB, GiB); durations take ms, s or m.\n\nOptions:\n");
        List<String[]> rows = new ArrayList<>();
        for (Option option : OPTIONS) {
            rows.add(new String[] {"--" + option.name() + " " + option.value(), option.description()});
        }
        rows.add(new String[] {"--log-level LEVEL", "TRACE, DEBUG, INFO, WARN or ERROR (default INFO)"});
        rows.add(new String[] {"--help", "print this help and exit"});
        for (String[] row : rows) {
            text.append(String.format("  %-32s %s%n", row[0], row[1]));
        }
        text.append("\nSIGTERM or Ctrl-C stops accepting, writes every reply already produced, and exits 0.\n");
        return text.toString();
    }

    private static String logLevel(String value) throws UsageException {
        String level = value.toUpperCase(Locale.ROOT);
        if (!List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF").contains(level)) {
            throw new UsageException("--log-level must be TRACE, DEBUG, INFO, WARN, ERROR or OFF, got " + value);
        }
        return level;
    }

    static int integer(String name, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, got '" + value + "'");
        }
    }

    static boolean bool(String name, String value) {
        switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true": case "yes": case "on": case "1":
                return true;
            case "false": case "no": case "off": case "0":
                return false;
            default:
                throw new IllegalArgumentException(name + " must be true or false, got '" + value + "'");
        }
    }

    /** Bytes, with an optional binary suffix: 65536, 64KiB, 1MiB, 2GiB (k, m, g also accepted). */
    static long size(String name, String value) {
        String text = value.trim().toLowerCase(Locale.ROOT);
        long unit = 1;
        String[][] suffixes = {{"kib", "1024"}, {"mib", "1048576"}, {"gib", "1073741824"},
            {"k", "1024"}, {"m", "1048576"}, {"g", "1073741824"}, {"b", "1"}};
        for (String[] suffix : suffixes) {
            if (text.endsWith(suffix[0])) {
                unit = Long.parseLong(suffix[1]);
                text = text.substring(0, text.length() - suffix[0].length()).trim();
                break;
            }
        }
        try {
            return Math.multiplyExact(Long.parseLong(text), unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException(name + " must be a size such as 65536, 64KiB or 1MiB, got '"
                    + value + "'");
        }
    }

    /** A duration: 500ms, 5s, 2m, or a bare number of milliseconds. */
    static Duration duration(String name, String value) {
        String text = value.trim().toLowerCase(Locale.ROOT);
        try {
            if (text.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2).trim()));
            }
            if (text.endsWith("s")) {
                return Duration.ofMillis(Math.round(Double.parseDouble(text.substring(0, text.length() - 1)) * 1000));
            }
            if (text.endsWith("m")) {
                return Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1).trim()) * 60);
            }
            return Duration.ofMillis(Long.parseLong(text));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a duration such as 500ms, 5s or 2m, got '"
                    + value + "'");
        }
    }
}
