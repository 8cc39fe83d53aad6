package io.courier.server.service;

import io.courier.server.support.JarProcess;
import io.courier.server.support.TestServers;
import io.courier.server.support.ChannelClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The packaged server with --metrics-port: Prometheus text at /metrics, counters following the traffic. */
@Timeout(60)
class MetricsEndpointIT {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void metricsPortServesPrometheusText() throws Exception {
        int metricsPort = TestServers.freePort();
        try (JarProcess jar = JarProcess.start("--port", "0", "--metrics-port", String.valueOf(metricsPort))) {
            int port = jar.awaitListeningPort();
            jar.awaitStdout(Pattern.compile("Metrics at http://127\\.0\\.0\\.1:" + metricsPort + "/metrics"),
                    WAIT);
            HttpClient http = HttpClient.newBuilder().connectTimeout(WAIT).build();
            URI uri = URI.create("http://127.0.0.1:" + metricsPort + "/metrics");
            String before = MetricsEndpointTest.scrape(http, uri);
            assertEquals(0.0, MetricsEndpointTest.value(before, "courier_messages_in_total"));
            assertTrue(before.contains("\ncourier_uptime_seconds "), before);

            try (ChannelClient client = ChannelClient.connect(new InetSocketAddress("127.0.0.1", port))) {
                for (int i = 0; i < 3; i++) {
                    assertTrue(client.callText(TestServers.pingText(i)).isOk());
                }
                await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
                    String now = MetricsEndpointTest.scrape(http, uri);
                    assertEquals(3.0, MetricsEndpointTest.value(now, "courier_messages_in_total"), now);
                    assertEquals(1.0, MetricsEndpointTest.value(now, "courier_connections_open"), now);
                });
            }
            jar.process().destroy();
            assertEquals(0, jar.awaitExit(WAIT), jar.describe());
        }
    }
}
