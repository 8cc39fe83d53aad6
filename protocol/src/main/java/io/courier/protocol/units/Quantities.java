package io.courier.protocol.units;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one vocabulary for sizes and durations written by people, shared by the server's options, the load tool,
 * the benchmark suite and the soak, so that the same text means the same thing everywhere.
 *
 * <ul>
 *   <li>A size is a whole number of bytes with an optional binary suffix: {@code 65536}, {@code 64KiB},
 *       {@code 1MiB}, {@code 2GiB} ({@code k}, {@code m}, {@code g} and {@code b} too). A bare number is bytes.</li>
 *   <li>A duration is a number with a unit: {@code 500ms}, {@code 5s}, {@code 1.5s}, {@code 2m}, {@code 1h}.
 *       A bare number other than {@code 0} is refused: {@code 300} was once 300 ms to the server and 300 s to
 *       the load tool, so no reading of it is safe. {@code 0} is zero (where an option allows it, "off").</li>
 * </ul>
 *
 * Errors are {@link IllegalArgumentException}s with one sentence naming the option, the value and what would be
 * accepted.
 */
public final class Quantities {
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)");
    private static final String[] SIZE_SUFFIXES = {"kib", "mib", "gib", "k", "m", "g", "b"};
    private static final long[] SIZE_UNITS = {1L << 10, 1L << 20, 1L << 30, 1L << 10, 1L << 20, 1L << 30, 1};

    private Quantities() {
    }

    /** Bytes: {@code 65536}, {@code 64KiB}, {@code 1MiB}, {@code 2GiB}; never negative. */
    public static long size(String name, String value) {
        String text = value.trim().toLowerCase(Locale.ROOT);
        long unit = 1;
        for (int i = 0; i < SIZE_SUFFIXES.length; i++) {
            if (text.endsWith(SIZE_SUFFIXES[i])) {
                unit = SIZE_UNITS[i];
                text = text.substring(0, text.length() - SIZE_SUFFIXES[i].length()).trim();
                break;
            }
        }
        try {
            long bytes = Math.multiplyExact(Long.parseLong(text), unit);
            if (bytes < 0) {
                throw new NumberFormatException();
            }
            return bytes;
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException(name + " must be a size such as 65536, 64KiB or 1MiB, got '"
                    + value + "'");
        }
    }

    /** A size that must fit an int (buffer and frame sizes). */
    public static int intSize(String name, String value) {
        long bytes = size(name, value);
        if (bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + " must be at most 2GiB-1, got '" + value + "'");
        }
        return (int) bytes;
    }

    /** A duration with a unit ({@code ms}, {@code s}, {@code m}, {@code h}), or {@code 0}; never negative. */
    public static Duration duration(String name, String value) {
        String text = value.trim().toLowerCase(Locale.ROOT);
        if (text.equals("0")) {
            return Duration.ZERO;
        }
        Matcher matcher = DURATION.matcher(text);
        if (!matcher.matches()) {
            String hint = text.matches("\\d+(\\.\\d+)?") ? " (a number needs a unit: " + text + "ms or " + text
                    + "s)" : "";
            throw new IllegalArgumentException(name + " must be a duration such as 500ms, 5s or 2m"
                    + hint + ", got '" + value + "'");
        }
        double nanosPerUnit = switch (matcher.group(2)) {
            case "ms" -> 1e6;
            case "s" -> 1e9;
            case "m" -> 60e9;
            default -> 3600e9;
        };
        double nanos = Double.parseDouble(matcher.group(1)) * nanosPerUnit;
        if (nanos > Long.MAX_VALUE / 4) {
            throw new IllegalArgumentException(name + " is too long, got '" + value + "'");
        }
        return Duration.ofNanos(Math.round(nanos));
    }

    /** How a duration is written back for people, in the same vocabulary: {@code 500ms}, {@code 5s}, {@code 2m}. */
    public static String format(Duration duration) {
        long millis = duration.toMillis();
        if (millis == 0) {
            return "0";
        }
        if (millis % 3_600_000 == 0) {
            return millis / 3_600_000 + "h";
        }
        if (millis % 60_000 == 0) {
            return millis / 60_000 + "m";
        }
        if (millis % 1000 == 0) {
            return millis / 1000 + "s";
        }
        return millis + "ms";
    }
}
