package io.courier.bench;

import java.util.List;

/**
 * One number the suite reports for a run.
 *
 * @param key            name in the JSON results
 * @param title          name in the Markdown tables, with its unit
 * @param higherIsBetter whether a larger value is the better one (throughput) or the worse (latency, memory)
 */
public record Metric(String key, String title, boolean higherIsBetter) {
    static final Metric THROUGHPUT = new Metric("throughput_per_second", "throughput (msg/s)", true);
    static final Metric MIB_PER_SECOND = new Metric("mib_per_second", "traffic, both ways (MiB/s)", true);
    static final Metric P50 = new Metric("p50_micros", "p50 (µs)", false);
    static final Metric P90 = new Metric("p90_micros", "p90 (µs)", false);
    static final Metric P99 = new Metric("p99_micros", "p99 (µs)", false);
    static final Metric P999 = new Metric("p999_micros", "p99.9 (µs)", false);
    static final Metric MAX = new Metric("max_micros", "max (µs)", false);
    static final Metric SERVER_CPU = new Metric("server_cpu_percent", "server CPU (% of its core)", false);
    static final Metric CLIENT_CPU = new Metric("client_cpu_percent", "client CPU (% of its core)", false);
    static final Metric PER_CPU_SECOND = new Metric("messages_per_server_cpu_second",
            "msg per server CPU-second", true);
    static final Metric ERRORS = new Metric("errors", "errors (lost, wrong, failed)", false);
    static final Metric HELD = new Metric("held_connections", "connections held", true);
    static final Metric HEAP_PER_CONNECTION = new Metric("heap_bytes_per_connection", "heap per connection (bytes)",
            false);
    static final Metric RSS_PER_CONNECTION = new Metric("rss_bytes_per_connection", "RSS per connection (bytes)",
            false);
    static final Metric HEAP_BASELINE = new Metric("heap_baseline_mib", "heap after GC, idle (MiB)", false);
    static final Metric HEAP_HELD = new Metric("heap_held_mib", "heap after GC, holding (MiB)", false);
    static final Metric RSS_BASELINE = new Metric("rss_baseline_mib", "RSS, idle (MiB)", false);
    static final Metric RSS_HELD = new Metric("rss_held_mib", "RSS, holding (MiB)", false);

    /** The metrics a kind of scenario reports, in table order. */
    public static List<Metric> of(Scenario.Kind kind) {
        switch (kind) {
            case THROUGHPUT:
                return List.of(THROUGHPUT, SERVER_CPU, CLIENT_CPU, PER_CPU_SECOND, MIB_PER_SECOND, P50, P99, ERRORS);
            case LATENCY:
                return List.of(THROUGHPUT, SERVER_CPU, CLIENT_CPU, P50, P90, P99, P999, MAX, ERRORS);
            case MEMORY:
                return List.of(HELD, HEAP_PER_CONNECTION, RSS_PER_CONNECTION, HEAP_BASELINE, HEAP_HELD,
                        RSS_BASELINE, RSS_HELD, ERRORS);
            default:
                throw new AssertionError(kind);
        }
    }
}
