package io.courier.server.ops;

import com.fasterxml.jackson.databind.JsonNode;
import io.courier.protocol.Message;
import io.courier.protocol.client.MessageClient;
import io.courier.server.Server;
import io.courier.server.api.Handler;
import io.courier.server.api.Session;
import io.courier.server.metrics.BuildInfo;
import io.courier.server.metrics.MetricsEndpoint;
import io.courier.server.support.TestServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What /metrics serves: the process and JVM collectors, build info, requests by type and outcome with their
 * latency, and every figure of the stats reply under a metric of the same words.
 */
@Timeout(60)
class MetricsExpositionTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final long SLOW_NANOS = TimeUnit.MILLISECONDS.toNanos(60);

    /** A blocking handler that takes 60 ms of a worker's time (spinning, not sleeping: the time is the point). */
    static final class Slow implements Handler {
        @Override
        public String type() {
            return "slow";
        }

        @Override
        public boolean blocking() {
            return true;
        }

        @Override
        public Message handle(Message request, Session session) {
            long until = System.nanoTime() + SLOW_NANOS;
            while (System.nanoTime() - until < 0) {
                Thread.onSpinWait();
            }
            return Message.replyTo(request);
        }
    }

    @Test
    void processJvmBuildAndRequestMetricsAreServed() throws Exception {
        try (Server server = TestServers.start(new Slow());
             MetricsEndpoint endpoint = MetricsEndpoint.start(server, "127.0.0.1", 0, Duration.ofSeconds(5));
             MessageClient client = MessageClient.connect(server.localAddress())) {
            for (int i = 0; i < 3; i++) {
                assertTrue(client.call(Message.of("ping"), WAIT).isOk());
            }
            assertEquals("bad_request", client.call(Message.of("room.join"), WAIT).errorCode());
            assertEquals("unknown_type", client.call(Message.of("nope"), WAIT).errorCode());
            assertTrue(client.call(Message.of("slow"), WAIT).isOk());

            String metrics = Http.scrape("http://127.0.0.1:" + endpoint.port());
            for (String sample : new String[] {"process_open_fds", "process_max_fds", "process_cpu_seconds_total",
                    "process_resident_memory_bytes", "jvm_threads_current", "jvm_memory_used_bytes{area=\"heap\"}"}) {
                assertTrue(Http.has(metrics, sample), "lacks " + sample + ":\n" + metrics);
            }
            assertTrue(metrics.contains("\njvm_gc_collection_seconds_count{gc=\""), "GC metrics:\n" + metrics);
            assertEquals(1.0, Http.value(metrics, "courier_build_info{version=\"" + BuildInfo.version() + "\"}"));
            assertTrue(BuildInfo.version().matches("\\d+\\.\\d+\\.\\d+.*"), BuildInfo.version());

            assertEquals(3.0, Http.value(metrics, "courier_requests_total{code=\"ok\",type=\"ping\"}"));
            assertEquals(3.0, Http.value(metrics, "courier_request_duration_seconds_count{type=\"ping\"}"));
            assertEquals(1.0, Http.value(metrics, "courier_requests_total{code=\"bad_request\",type=\"room.join\"}"));
            assertEquals(1.0, Http.value(metrics,
                    "courier_requests_total{code=\"unknown_type\",type=\"(unknown)\"}"));
            // The blocking handler's time counts: from its last byte read to its reply queued, worker time included.
            assertEquals(1.0, Http.value(metrics, "courier_request_duration_seconds_count{type=\"slow\"}"));
            assertTrue(Http.value(metrics, "courier_request_duration_seconds_sum{type=\"slow\"}")
                    >= SLOW_NANOS / 1e9, metrics);
            assertEquals(0.0, Http.value(metrics,
                    "courier_request_duration_seconds_bucket{type=\"slow\",le=\"0.05\"}"));
            assertEquals(1.0, Http.value(metrics,
                    "courier_request_duration_seconds_bucket{type=\"slow\",le=\"+Inf\"}"));
            assertTrue(Http.value(metrics, "courier_loop_lag_seconds_count") >= 0);
            assertTrue(Http.has(metrics, "courier_buffered_bytes{buffer=\"replies\"}"), metrics);
            assertTrue(Http.has(metrics, "courier_write_queue_max_bytes"), metrics);
            assertTrue(Http.has(metrics, "courier_log_dropped_total"), metrics);
        }
    }

    /**
     * Every number of the stats reply has a metric of the same words: the path joined with underscores, under
     * {@code courier_}, units in seconds instead of milliseconds, counters ending in {@code _total}, map keys as
     * labels. (The stats' own estimates, last/p50/p99 of a histogram, have none: Prometheus computes those.)
     */
    @Test
    void theStatsReplyAndTheMetricsUseTheSameWords() throws Exception {
        try (Server server = TestServers.start();
             MetricsEndpoint endpoint = MetricsEndpoint.start(server, "127.0.0.1", 0, Duration.ofSeconds(5));
             MessageClient client = MessageClient.connect(server.localAddress())) {
            assertTrue(client.call(Message.of("ping"), WAIT).isOk());
            assertEquals("unknown_type", client.call(Message.of("nope"), WAIT).errorCode());
            JsonNode stats = client.call(Message.of("stats"), WAIT).header();
            String metrics = Http.scrape("http://127.0.0.1:" + endpoint.port());

            List<String> missing = new ArrayList<>();
            List<String> checked = new ArrayList<>();
            for (Map.Entry<String, String> leaf : leaves(stats)) {
                String sample = metricFor(leaf.getKey(), leaf.getValue());
                if (sample == null) {
                    continue;
                }
                checked.add(sample);
                if (!Http.has(metrics, sample)) {
                    missing.add(leaf.getKey() + " -> " + sample);
                }
            }
            assertTrue(missing.isEmpty(), "stats fields without their metric: " + missing + "\n" + metrics);
            assertTrue(checked.size() > 40, "checked " + checked);
            assertEquals(stats.path("connections").path("total").asDouble(),
                    Http.value(metrics, "courier_connections_total"));
            assertEquals(stats.path("requests").path("ping").path("ok").asDouble(),
                    Http.value(metrics, "courier_requests_total{code=\"ok\",type=\"ping\"}"));
        }
    }

    /** The metric sample a stats field corresponds to, or null for the stats' own derived figures. */
    private static String metricFor(String path, String value) {
        String[] parts = path.split("\\.");
        switch (parts[0]) {
            case "uptime_ms":
                return "courier_uptime_seconds";
            case "build":
                return "courier_build_info{version=\"" + value + "\"}";
            case "connections":
                return parts[1].equals("open") ? "courier_connections_open"
                        : parts[1].equals("total") ? "courier_connections_total"
                        : "courier_connections_" + parts[1] + "_total";
            case "messages":
            case "bytes":
            case "log":
            case "tls":
                return "courier_" + parts[0] + "_" + parts[1] + "_total";
            case "errors":
                return "courier_errors_total{code=\"" + parts[1] + "\"}";
            case "closes":
                return "courier_closes_total{reason=\"" + parts[1] + "\"}";
            case "buffered_bytes":
                return "courier_buffered_bytes{buffer=\"" + parts[1] + "\"}";
            case "write_queue":
                return "courier_write_queue_" + parts[1];
            case "loop_lag_ms":
                return parts[1].equals("max") ? "courier_loop_lag_max_seconds"
                        : parts[1].equals("count") || parts[1].equals("sum") ? "courier_loop_lag_seconds_" + parts[1]
                        : null;
            case "requests":
                return "courier_requests_total{code=\"" + parts[2] + "\",type=\"" + parts[1] + "\"}";
            case "request_duration_ms":
                return parts[2].equals("count") || parts[2].equals("sum")
                        ? "courier_request_duration_seconds_" + parts[2] + "{type=\"" + parts[1] + "\"}" : null;
            case "cluster":
                return parts[1].equals("link_losses") ? "courier_cluster_link_losses_total"
                        : "courier_cluster_info{" + (parts[1].equals("state") ? "instance=\"\",state=\"" + value
                        + "\"" : "instance=\"" + value + "\"") + "}";
            case "type":
            case "id":
            case "ok":
                return null; // the reply's envelope
            default:
                throw new AssertionError("a stats field with no metric rule: " + path);
        }
    }

    /** Every scalar of {@code node} as (dotted path, text); the test sends no type with a dot in its name. */
    private static List<Map.Entry<String, String>> leaves(JsonNode node) {
        List<Map.Entry<String, String>> leaves = new ArrayList<>();
        collect("", node, leaves);
        return leaves;
    }

    private static void collect(String prefix, JsonNode node, List<Map.Entry<String, String>> into) {
        if (!node.isObject()) {
            into.add(Map.entry(prefix, node.asText()));
            return;
        }
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            String key = field.getKey();
            collect(prefix.isEmpty() ? key : prefix + "." + key, field.getValue(), into);
        }
    }
}
