package io.courier.cli;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How the CLI writes sizes, times and rates for people. */
final class Format {
    private static final String[] UNITS = {"KiB", "MiB", "GiB", "TiB"};
    private static final DateTimeFormatter LOCAL_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    private Format() {
    }

    /** {@code 512 B}, {@code 1.5 KiB}, {@code 4.0 MiB}. */
    static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, UNITS[unit]);
    }

    /** Bytes per second over {@code nanos}, e.g. {@code 12.5 MiB/s}. */
    static String rate(long bytes, long nanos) {
        if (nanos <= 0) {
            return "-";
        }
        return bytes((long) (bytes * 1e9 / nanos)) + "/s";
    }

    static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
    }

    static String millis(double millis) {
        return String.format(Locale.ROOT, "%.3f ms", millis);
    }

    /** {@code 12,345}. */
    static String count(long count) {
        return String.format(Locale.ROOT, "%,d", count);
    }

    /** Epoch milliseconds as local time, {@code 2024-05-01 12:00:00}. */
    static String time(long epochMillis) {
        return LOCAL_TIME.format(Instant.ofEpochMilli(epochMillis));
    }

    /** {@code 3d 4h 5m 6s}, leaving out leading zero units. */
    static String uptime(long millis) {
        long seconds = millis / 1000;
        long days = seconds / 86_400;
        long hours = seconds / 3600 % 24;
        long minutes = seconds / 60 % 60;
        StringBuilder text = new StringBuilder();
        if (days > 0) {
            text.append(days).append("d ");
        }
        if (days > 0 || hours > 0) {
            text.append(hours).append("h ");
        }
        if (days > 0 || hours > 0 || minutes > 0) {
            text.append(minutes).append("m ");
        }
        return text.append(seconds % 60).append('s').toString();
    }

    /**
     * Text from other people made safe for a terminal: control characters (escape sequences could move the
     * cursor, retitle the window or worse) become {@code ?}.
     */
    static String printable(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder safe = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            safe.append(c < 0x20 && c != '\t' || c >= 0x7f && c <= 0x9f ? '?' : c);
        }
        return safe.toString();
    }
}
