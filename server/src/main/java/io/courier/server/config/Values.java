package io.courier.server.config;

import io.courier.protocol.units.Quantities;

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

    /** Bytes, with an optional binary suffix: see {@link Quantities#size}. */
    public static long size(String name, String value) {
        return Quantities.size(name, value);
    }

    /** A size that must fit an int (buffer and frame sizes). */
    public static int intSize(String name, String value) {
        return Quantities.intSize(name, value);
    }

    /** A duration with a unit (500ms, 5s, 1.5s, 2m, 1h) or 0: see {@link Quantities#duration}. */
    public static Duration duration(String name, String value) {
        return Quantities.duration(name, value);
    }
}
