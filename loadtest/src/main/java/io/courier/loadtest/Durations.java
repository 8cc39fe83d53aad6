package io.courier.loadtest;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses durations as people write them: {@code 10s}, {@code 500ms}, {@code 1.5s}, {@code 2m}, {@code 1h}. */
final class Durations {
    private static final Pattern SIMPLE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?");

    private Durations() {
    }

    /**
     * A number with an optional unit ({@code ms}, {@code s}, {@code m}, {@code h}; seconds when absent), or an ISO
     * 8601 duration such as {@code PT10S}.
     *
     * @throws IllegalArgumentException for anything else
     */
    static Duration parse(String text) {
        String trimmed = text.trim().toLowerCase(Locale.ROOT);
        Matcher matcher = SIMPLE.matcher(trimmed);
        if (matcher.matches()) {
            double value = Double.parseDouble(matcher.group(1));
            String unit = matcher.group(2) == null ? "s" : matcher.group(2);
            double nanosPerUnit = switch (unit) {
                case "ms" -> 1e6;
                case "s" -> 1e9;
                case "m" -> 60e9;
                default -> 3600e9;
            };
            double nanos = value * nanosPerUnit;
            if (nanos > Long.MAX_VALUE / 4) {
                throw new IllegalArgumentException("duration too long: " + text);
            }
            return Duration.ofNanos(Math.round(nanos));
        }
        try {
            return Duration.parse(text.trim().toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not a duration: '" + text + "' (write e.g. 10s, 500ms, 1.5s, 2m)");
        }
    }
}
