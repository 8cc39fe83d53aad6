package io.courier.bench;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One per-second progress line of the load-test client:
 * {@code [  3.0s] rps=12345 p50=0.123ms p99=1.234ms errors=0 open=64 held=64}. Fields the line lacks are -1
 * (NaN for latencies), so an older or newer client still parses.
 *
 * @param seconds   time since the client started
 * @param rps       replies in the last second
 * @param p50Millis median latency in the last second, milliseconds
 * @param p99Millis 99th percentile latency in the last second, milliseconds
 * @param errors    errors so far
 * @param open      connections open now
 * @param held      held (idle, pinging) connections open now
 */
public record ProgressLine(double seconds, long rps, double p50Millis, double p99Millis, long errors, long open,
                           long held) {
    private static final Pattern LINE = Pattern.compile("^\\s*\\[\\s*([0-9.]+)s\\]\\s*(.*)$");
    private static final Pattern FIELD = Pattern.compile("([a-z0-9_]+)=([-0-9.]+)([a-zµ]*)");

    /** The progress line in {@code line}, or empty when it is some other output. */
    public static Optional<ProgressLine> parse(String line) {
        Matcher matcher = LINE.matcher(line);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        Map<String, Double> fields = new HashMap<>();
        Matcher field = FIELD.matcher(matcher.group(2));
        while (field.find()) {
            try {
                fields.put(field.group(1), toBaseUnit(Double.parseDouble(field.group(2)), field.group(3)));
            } catch (NumberFormatException e) {
                // a field we cannot read is treated as absent
            }
        }
        return Optional.of(new ProgressLine(Double.parseDouble(matcher.group(1)), count(fields, "rps"),
                fields.getOrDefault("p50", Double.NaN), fields.getOrDefault("p99", Double.NaN),
                count(fields, "errors"), count(fields, "open"), count(fields, "held")));
    }

    /** Latencies to milliseconds; counts are unitless. */
    private static double toBaseUnit(double value, String unit) {
        switch (unit) {
            case "us":
            case "µs":
                return value / 1000.0;
            case "s":
                return value * 1000.0;
            case "ns":
                return value / 1_000_000.0;
            default:
                return value; // "ms" or none
        }
    }

    private static long count(Map<String, Double> fields, String name) {
        Double value = fields.get(name);
        return value == null ? -1 : Math.round(value);
    }
}
