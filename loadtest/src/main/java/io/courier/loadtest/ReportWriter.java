package io.courier.loadtest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.courier.protocol.Json;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.TreeMap;

/**
 * Writes a {@link Report} as text for people, as JSON for programs, as an HdrHistogram percentile file and as CSV
 * (one row per second). {@link HtmlReport} draws it.
 */
public final class ReportWriter {
    /** The .hgrm file's values are microseconds (recorded in nanoseconds, scaled by this ratio). */
    public static final double HGRM_SCALE_TO_MICROS = 1000.0;

    private ReportWriter() {
    }

    /** The final report, several lines. */
    public static String text(Report r) {
        StringBuilder out = new StringBuilder();
        line(out, "Target", "%s, %s framing, type %s", r.target(), r.framing(), r.type());
        line(out, "Load", "%s", describeLoad(r));
        if (r.mode() == Mode.FANOUT) {
            FanoutFigures f = r.fanout();
            line(out, "Measured", "%.2f s: %d publishes (%.1f/s), %d deliveries owed to %d member(s), %d delivered "
                            + "ok, %.1f deliveries/s", r.durationSeconds(), f.publishes(), f.publishesPerSecond(),
                    r.requestsSent(), f.members(), r.repliesOk(), r.throughputPerSecond());
        } else if (r.mode() == Mode.CONNECT) {
            line(out, "Measured", "%.2f s: %d connections opened, %d pinged and answered ok, %.1f new "
                    + "connections/s", r.durationSeconds(), r.requestsSent(), r.repliesOk(), r.throughputPerSecond());
        } else {
            line(out, "Measured", "%.2f s: %d requests sent, %d answered ok, %.1f replies/s",
                    r.durationSeconds(), r.requestsSent(), r.repliesOk(), r.throughputPerSecond());
        }
        if (r.warmupSent() > 0) {
            line(out, "Warm-up", r.mode() == Mode.FANOUT ? "%d deliveries owed, %d delivered ok (not in the figures "
                    + "above or below)" : "%d requests sent, %d answered ok (not in the figures above or below)",
                    r.warmupSent(), r.warmupOk());
        }
        LatencySummary l = r.latency();
        line(out, "Latency", "p50 %s  p90 %s  p99 %s  p99.9 %s  max %s  mean %s  (%d samples%s)",
                ms(l.p50()), ms(l.p90()), ms(l.p99()), ms(l.p999()), ms(l.max()), ms(l.mean()), l.count(),
                latencyFrom(r));
        ErrorCounts e = r.errors();
        line(out, "Errors", "lost %d, duplicated %d, mismatched %d, error replies %d%s, connect failures %d, "
                        + "disconnects %d", e.lost(), e.duplicated(), e.mismatched(), e.errorReplies(),
                r.errorReplyCodes().isEmpty() ? "" : " " + new TreeMap<>(r.errorReplyCodes()),
                e.connectFailures(), e.disconnects());
        if (r.mode() == Mode.FANOUT) {
            line(out, "Fan-out", "room %s, %d publisher(s) on %s; out of order %d (in mismatched), says unanswered "
                            + "%d (in lost); the publishers got %d room messages themselves (counted, not checked)",
                    r.fanout().room(), r.fanout().publishers(), r.fanout().publisherTarget(), r.fanout().outOfOrder(),
                    r.fanout().unansweredSays(), r.events());
        } else if (r.events() > 0) {
            line(out, "Events", "%d server messages without ok or id (not errors)", r.events());
        }
        if (r.mode() != Mode.FANOUT) { // fan-out connections are MessageClients, which do not count bytes
            line(out, "Bytes", "sent %s, received %s", bytes(r.bytesSent()), bytes(r.bytesReceived()));
        }
        if (r.mode() != Mode.CONNECT) {
            line(out, "Held", "%d connections established when sending stopped (peak %d of %d)",
                    r.heldConnections(), r.peakHeld(), r.connections());
        }
        for (String sample : r.errorSamples()) {
            line(out, "Error", "%s", sample);
        }
        for (String warning : r.warnings()) {
            line(out, "Warning", "%s", warning);
        }
        line(out, "Result", "%s", r.success() ? (r.mode() == Mode.FANOUT
                ? "OK: every message reached every member once, in order per publisher"
                : "OK: every request was answered correctly")
                : "FAILED: " + String.join("; ", r.problems()));
        return out.toString();
    }

    /** The JSON report, with exactly the keys other programs read. */
    public static ObjectNode json(Report r) {
        ObjectNode root = Json.NODES.objectNode();
        root.put("target", r.target());
        root.put("mode", r.mode().wireName());
        root.put("framing", r.framing());
        root.put("type", r.type());
        root.put("connections", r.connections());
        root.put("depth", r.depth());
        if (r.rate() == Math.rint(r.rate()) && Math.abs(r.rate()) < 1e15) {
            root.put("rate", (long) r.rate());
        } else {
            root.put("rate", r.rate());
        }
        root.put("header_bytes", r.headerBytes());
        root.put("body_bytes", r.bodyBytes());
        root.put("duration_seconds", round3(r.durationSeconds()));
        root.put("requests_sent", r.requestsSent());
        root.put("replies_ok", r.repliesOk());
        root.put("throughput_per_second", round3(r.throughputPerSecond()));
        ObjectNode latency = root.putObject("latency_micros");
        LatencySummary l = r.latency();
        latency.put("p50", round3(l.p50()));
        latency.put("p90", round3(l.p90()));
        latency.put("p99", round3(l.p99()));
        latency.put("p999", round3(l.p999()));
        latency.put("max", round3(l.max()));
        latency.put("mean", round3(l.mean()));
        ObjectNode errors = root.putObject("errors");
        ErrorCounts e = r.errors();
        errors.put("lost", e.lost());
        errors.put("duplicated", e.duplicated());
        errors.put("mismatched", e.mismatched());
        errors.put("error_replies", e.errorReplies());
        errors.put("connect_failures", e.connectFailures());
        errors.put("disconnects", e.disconnects());
        root.put("bytes_sent", r.bytesSent());
        root.put("bytes_received", r.bytesReceived());
        root.put("held_connections", r.heldConnections());
        FanoutFigures f = r.fanout();
        if (f != null) {
            ObjectNode fanout = root.putObject("fanout");
            fanout.put("room", f.room());
            fanout.put("members", f.members());
            fanout.put("publishers", f.publishers());
            fanout.put("publisher_target", f.publisherTarget());
            fanout.put("publishes", f.publishes());
            fanout.put("publishes_per_second", round3(f.publishesPerSecond()));
            fanout.put("deliveries_per_second", round3(r.throughputPerSecond()));
            fanout.put("out_of_order", f.outOfOrder());
            fanout.put("unanswered_says", f.unansweredSays());
        }
        r.warnings().forEach(root.putArray("warnings")::add);
        return root;
    }

    public static void writeJson(Report report, Path file) throws IOException {
        try {
            Files.writeString(file, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(json(report))
                    + "\n", StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the report", e);
        }
    }

    /** HdrHistogram's percentile distribution of the measured latencies, values in microseconds. */
    public static void writeHgrm(Report report, Path file) throws IOException {
        try (OutputStream stream = Files.newOutputStream(file);
             PrintStream print = new PrintStream(stream, false, StandardCharsets.UTF_8)) {
            report.latencyNanos().outputPercentileDistribution(print, HGRM_SCALE_TO_MICROS);
        }
    }

    /** The CSV columns, in order. */
    static final String CSV_HEADER = "seconds,phase,replies_per_second,p50_ms,p99_ms,errors,held";

    /** Each second of the run as one CSV row under {@link #CSV_HEADER}. */
    public static String csv(Report report) {
        StringBuilder out = new StringBuilder(CSV_HEADER).append('\n');
        for (Interval i : report.intervals()) {
            out.append(String.format(Locale.ROOT, "%.1f,%s,%d,%.3f,%.3f,%d,%d\n", i.elapsedSeconds(),
                    i.measured() ? "measured" : "warmup", i.repliesPerSecond(), i.p50Micros() / 1000.0,
                    i.p99Micros() / 1000.0, i.errors(), i.held()));
        }
        return out.toString();
    }

    public static void writeCsv(Report report, Path file) throws IOException {
        Files.writeString(file, csv(report), StandardCharsets.UTF_8);
    }

    private static String describeLoad(Report r) {
        switch (r.mode()) {
            case CLOSED:
                return String.format(Locale.ROOT, "closed loop, %d connections x depth %d, %s, body %d bytes",
                        r.connections(), r.depth(), header(r), r.bodyBytes());
            case OPEN:
                return String.format(Locale.ROOT, "open loop, %s requests/s over %d connections, %s, body %d bytes",
                        trim(r.rate()), r.connections(), header(r), r.bodyBytes());
            case FANOUT:
                return String.format(Locale.ROOT, "fan-out, %s, texts of %d bytes",
                        r.rate() > 0 ? "open loop, " + trim(r.rate()) + " publishes/s in total"
                                : "closed loop, up to " + r.depth() + " message(s) per publisher on their way",
                        r.headerBytes());
            case CONNECT:
                return String.format(Locale.ROOT, "new connections, %d at once, each: connect, one ping, close",
                        r.connections());
            default:
                return String.format(Locale.ROOT, "hold %d connections, each pinging now and then",
                        r.connections());
        }
    }

    private static String latencyFrom(Report r) {
        switch (r.mode()) {
            case OPEN:
                return ", from intended send times";
            case FANOUT:
                return r.rate() > 0 ? ", delivery latency from intended send times" : ", delivery latency from "
                        + "send times";
            case CONNECT:
                return ", from before the connect to the ping's reply";
            default:
                return "";
        }
    }

    private static String header(Report r) {
        return r.headerBytes() == 0 ? "header not padded" : "header padded to ~" + r.headerBytes() + " bytes";
    }

    private static void line(StringBuilder out, String label, String format, Object... args) {
        out.append(String.format(Locale.ROOT, "%-9s ", label)).append(String.format(Locale.ROOT, format, args))
                .append('\n');
    }

    static String ms(double micros) {
        return String.format(Locale.ROOT, "%.3fms", micros / 1000.0);
    }

    private static String bytes(long count) {
        if (count < 10_000) {
            return count + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = count;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%d B (%.1f %s)", count, value, units[unit]);
    }

    static String trim(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }

    private static double round3(double value) {
        return Math.round(value * 1000.0) / 1000.0;
    }
}
