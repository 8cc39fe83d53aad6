package io.courier.server.config;

import java.time.Duration;
import java.util.Locale;

/**
 * Parses option values written by people: sizes with binary suffixes, durations with units, booleans in the usual
 * spellings. Errors are one sentence naming the option, the value and what would be accepted.
 */
public final class Values {
    private Values() {
    }

    public static int integer(String name, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, got '" + value + "'");
        }
    }

    public static boolean bool(String name, String value) {
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
    public static long size(String name, String value) {
        String text = value.trim().toLowerCase(Locale.ROOT);
        long unit = 1;
        String[] suffixes = {"kib", "mib", "gib", "k", "m", "g", "b"};
        long[] units = {1L << 10, 1L << 20, 1L << 30, 1L << 10, 1L << 20, 1L << 30, 1};
        for (int i = 0; i < suffixes.length; i++) {
            if (text.endsWith(suffixes[i])) {
                unit = units[i];
                text = text.substring(0, text.length() - suffixes[i].length()).trim();
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

    /** A duration: 500ms, 5s, 1.5s, 2m, 1h, or a bare number of milliseconds. 0 means off where allowed. */
    public static Duration duration(String name, String value) {
        String text = value.trim().toLowerCase(Locale.ROOT);
        try {
            if (text.endsWith("ms")) {
                return notNegative(Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2).trim())));
            }
            long unitMillis = text.endsWith("s") ? 1000 : text.endsWith("m") ? 60_000 : text.endsWith("h")
                    ? 3_600_000 : 0;
            if (unitMillis == 0) {
                return notNegative(Duration.ofMillis(Long.parseLong(text)));
            }
            double amount = Double.parseDouble(text.substring(0, text.length() - 1).trim());
            if (amount < 0 || Double.isNaN(amount)) {
                throw new NumberFormatException();
            }
            return Duration.ofMillis(Math.round(amount * unitMillis));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a duration such as 500ms, 5s or 2m, got '"
                    + value + "'");
        }
    }

    /** Negative durations are refused here, with the value as written, like "-5s" already was. */
    private static Duration notNegative(Duration duration) {
        if (duration.isNegative()) {
            throw new NumberFormatException();
        }
        return duration;
    }
}
