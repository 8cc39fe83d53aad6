package io.courier.bench.wire;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.courier.protocol.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A run's outcome in the load-test client's JSON field names ({@code throughput_per_second},
 * {@code latency_micros}, {@code errors}, ...), so the suite reads it as it reads the load tool's report.
 * Throughput is replies per second for request-reply and deliveries per second for fan-out.
 */
final class WireReport {
    private final WireOptions options;
    private final WireRecorder recorder;
    private final double seconds;

    WireReport(WireOptions options, WireRecorder recorder, double seconds) {
        this.options = options;
        this.recorder = recorder;
        this.seconds = seconds;
    }

    long errors() {
        return recorder.errors();
    }

    double throughput() {
        return seconds > 0 ? recorder.ok / seconds : 0;
    }

    private double micros(double nanos) {
        return nanos / 1000.0;
    }

    ObjectNode json() {
        ObjectNode root = Json.NODES.objectNode();
        root.put("client", "wire");
        root.put("protocol", options.protocol());
        root.put("traffic", options.traffic());
        root.put("target", options.host() + ":" + options.port());
        root.put("duration_seconds", seconds);
        root.put("requests_sent", recorder.sent);
        root.put("replies_ok", recorder.ok);
        root.put("throughput_per_second", throughput());
        ObjectNode latency = root.putObject("latency_micros");
        LatencyHistogram h = recorder.latency;
        latency.put("p50", micros(h.quantile(0.50)));
        latency.put("p90", micros(h.quantile(0.90)));
        latency.put("p99", micros(h.quantile(0.99)));
        latency.put("p999", micros(h.quantile(0.999)));
        latency.put("max", micros(h.max()));
        latency.put("mean", micros(h.mean()));
        latency.put("count", h.count());
        ObjectNode errors = root.putObject("errors");
        errors.put("lost", recorder.lost);
        errors.put("duplicated", recorder.duplicated);
        errors.put("mismatched", recorder.mismatched);
        errors.put("error_replies", recorder.errorReplies);
        errors.put("connect_failures", recorder.connectFailures);
        errors.put("disconnects", recorder.disconnects);
        root.put("bytes_sent", recorder.bytesSent);
        root.put("bytes_received", recorder.bytesReceived);
        recorder.samples().forEach(root.putArray("error_samples")::add);
        return root;
    }

    void writeJson(Path file) throws IOException {
        Files.writeString(file, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(json()) + "\n");
    }

    String text() {
        LatencyHistogram h = recorder.latency;
        return String.format(Locale.ROOT, "wire %s %s: %.2f s measured, %d sent, %d ok, %.0f/s; latency p50 %.0f µs "
                        + "p99 %.0f µs p99.9 %.0f µs max %.0f µs; errors %d (lost %d, duplicated %d, mismatched %d, "
                        + "error replies %d, connect failures %d, disconnects %d)%s",
                options.protocol(), options.traffic(), seconds, recorder.sent, recorder.ok, throughput(),
                micros(h.quantile(0.5)), micros(h.quantile(0.99)), micros(h.quantile(0.999)), micros(h.max()),
                errors(), recorder.lost, recorder.duplicated, recorder.mismatched, recorder.errorReplies,
                recorder.connectFailures, recorder.disconnects,
                recorder.samples().isEmpty() ? "" : "; first problems: " + recorder.samples());
    }
}
