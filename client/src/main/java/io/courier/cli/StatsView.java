package io.courier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A {@code stats} reply as a few aligned lines; with the one before it, also the rates in between. */
final class StatsView {
    private StatsView() {
    }

    static String render(String address, ObjectNode now, ObjectNode before, long nanosBetween) {
        List<String[]> rows = new ArrayList<>();
        JsonNode connections = now.path("connections");
        rows.add(row("connections", "open " + count(connections, "open"), "total " + count(connections, "total"),
                "rejected " + count(connections, "rejected")));
        JsonNode messages = now.path("messages");
        rows.add(row("messages", "in " + count(messages, "in"), "out " + count(messages, "out")));
        JsonNode bytes = now.path("bytes");
        rows.add(row("bytes", "in " + Format.bytes(bytes.path("in").asLong()),
                "out " + Format.bytes(bytes.path("out").asLong())));
        if (before != null && nanosBetween > 0) {
            double seconds = nanosBetween / 1e9;
            rows.add(row("rate", perSecond(now, before, "messages", "in", seconds) + " msg/s in",
                    perSecond(now, before, "messages", "out", seconds) + " msg/s out",
                    Format.bytes(Math.round(delta(now, before, "bytes", "in") / seconds)) + "/s in",
                    Format.bytes(Math.round(delta(now, before, "bytes", "out") / seconds)) + "/s out"));
        }
        JsonNode lag = now.path("loop_lag_ms");
        rows.add(row("loop lag", "last " + Format.millis(lag.path("last").asDouble()),
                "max " + Format.millis(lag.path("max").asDouble())));
        rows.add(row("errors", counts(now.path("errors"))));
        rows.add(row("closes", counts(now.path("closes"))));

        StringBuilder text = new StringBuilder("server ").append(address).append(", up ")
                .append(Format.uptime(now.path("uptime_ms").asLong())).append('\n');
        for (String[] row : rows) {
            text.append(String.format(Locale.ROOT, "  %-12s", row[0]));
            text.append(String.join("   ", Arrays.copyOfRange(row, 1, row.length))).append('\n');
        }
        return text.toString();
    }

    private static String[] row(String... cells) {
        return cells;
    }

    private static String count(JsonNode group, String field) {
        return Format.count(group.path(field).asLong());
    }

    private static long delta(ObjectNode now, ObjectNode before, String group, String field) {
        return now.path(group).path(field).asLong() - before.path(group).path(field).asLong();
    }

    private static String perSecond(ObjectNode now, ObjectNode before, String group, String field, double seconds) {
        return String.format(Locale.ROOT, "%,.0f", delta(now, before, group, field) / seconds);
    }

    /** {@code not_found 2, bad_request 1}, only the counts above zero; {@code none} if there are none. */
    private static String counts(JsonNode counters) {
        List<String> parts = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = counters.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> counter = it.next();
            if (counter.getValue().asLong() > 0) {
                parts.add(counter.getKey() + " " + Format.count(counter.getValue().asLong()));
            }
        }
        return parts.isEmpty() ? "none" : String.join(", ", parts);
    }
}
