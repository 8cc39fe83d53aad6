package io.courier.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.courier.protocol.Json;

import java.io.IOException;

/**
 * The load-test client's JSON report ({@code --json FILE}), the fields the suite uses. Missing numbers read as 0
 * (NaN for latencies), so a report from a client that leaves a field out still loads; {@link #raw()} keeps it all.
 */
public record ClientReport(ObjectNode raw, double durationSeconds, long requestsSent, long repliesOk,
                           double throughputPerSecond, Latency latencyMicros, Errors errors, long bytesSent,
                           long bytesReceived, long heldConnections) {

    /** Latency percentiles in microseconds. */
    public record Latency(double p50, double p90, double p99, double p999, double max, double mean) {
    }

    /** Error counts; a clean run has {@link #total()} 0. */
    public record Errors(long lost, long duplicated, long mismatched, long errorReplies, long connectFailures,
                         long disconnects) {
        public long total() {
            return lost + duplicated + mismatched + errorReplies + connectFailures + disconnects;
        }
    }

    /** Parses the report text. */
    public static ClientReport parse(String json) throws IOException {
        JsonNode root = Json.MAPPER.readTree(json);
        if (!(root instanceof ObjectNode)) {
            throw new IOException("the client's report is not a JSON object");
        }
        JsonNode latency = root.path("latency_micros");
        JsonNode errors = root.path("errors");
        return new ClientReport((ObjectNode) root,
                root.path("duration_seconds").asDouble(0),
                root.path("requests_sent").asLong(0),
                root.path("replies_ok").asLong(0),
                root.path("throughput_per_second").asDouble(0),
                new Latency(decimal(latency, "p50"), decimal(latency, "p90"), decimal(latency, "p99"),
                        decimal(latency, "p999"), decimal(latency, "max"), decimal(latency, "mean")),
                new Errors(errors.path("lost").asLong(0), errors.path("duplicated").asLong(0),
                        errors.path("mismatched").asLong(0), errors.path("error_replies").asLong(0),
                        errors.path("connect_failures").asLong(0), errors.path("disconnects").asLong(0)),
                root.path("bytes_sent").asLong(0),
                root.path("bytes_received").asLong(0),
                root.path("held_connections").asLong(0));
    }

    /** Bytes per second in both directions together over the measured time. */
    public double bytesPerSecond() {
        return durationSeconds > 0 ? (bytesSent + bytesReceived) / durationSeconds : Double.NaN;
    }

    private static double decimal(JsonNode parent, String field) {
        JsonNode value = parent.get(field);
        return value != null && value.isNumber() ? value.asDouble() : Double.NaN;
    }
}
