package io.courier.server.service;

import io.courier.server.support.ProbeHandlers;
import io.courier.server.support.TestServers;
import io.courier.server.support.ChannelClient;
import com.fasterxml.jackson.databind.JsonNode;
import io.courier.protocol.ErrorCode;
import io.courier.protocol.Message;
import io.courier.server.Server;
import io.courier.server.metrics.CloseReason;
import io.courier.server.metrics.MetricsEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The stats type and the Prometheus endpoint: the documented counters, moving as traffic happens. */
@Timeout(60)
class MetricsEndpointTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void statsTypeReportsEveryDocumentedCounterAndTheyMoveWithTraffic() throws Exception {
        try (Server server = TestServers.startProbed(TestServers.loopback().maxConnections(3).writeHighWatermark(64 * 1024)
                .writeLowWatermark(16 * 1024).slowConsumerBytes(512 * 1024), new ProbeHandlers.Firehose());
             ChannelClient watcher = ChannelClient.connect(server.localAddress())) {
            JsonNode before = watcher.callText("{\"type\":\"stats\",\"id\":1}").header();
            assertTrue(before.path("ok").asBoolean(), before.toString());
            for (String field : new String[] {"uptime_ms", "connections", "messages", "bytes", "errors", "closes",
                    "loop_lag_ms"}) {
                assertTrue(before.has(field), "stats lacks " + field + ": " + before);
            }
            for (ErrorCode code : ErrorCode.values()) {
                assertEquals(0, before.path("errors").path(code.wireName()).asLong(-1), "errors." + code.wireName());
            }
            for (CloseReason reason : CloseReason.values()) {
                String name = reason.name().toLowerCase(Locale.ROOT);
                assertEquals(0, before.path("closes").path(name).asLong(-1), "closes." + name);
            }
            assertEquals(1, before.path("connections").path("open").asLong());
            assertEquals(1, before.path("connections").path("total").asLong());
            assertEquals(0, before.path("connections").path("rejected").asLong());
            assertEquals(1, before.path("messages").path("in").asLong(), "the stats request itself");
            assertTrue(before.path("loop_lag_ms").path("last").isNumber());
            assertTrue(before.path("loop_lag_ms").path("max").isNumber());

            // Traffic: pings, an unknown type, a malformed stream, a slow consumer, a rejected connection.
            for (int i = 0; i < 5; i++) {
                assertTrue(watcher.callText(TestServers.pingText(10 + i)).isOk());
            }
            assertEquals("unknown_type", watcher.callText("{\"type\":\"nope\"}").errorCode());
            try (ChannelClient broken = ChannelClient.connect(server.localAddress())) {
                assertEquals("malformed", broken.callText("{\"type\": nope}").errorCode());
                broken.expectEof(WAIT);
            }
            try (ChannelClient slow = ChannelClient.connect(server.localAddress(), 8 * 1024)) {
                slow.sendFrame(Message.of("firehose").with("count", 40).with("size", 64 * 1024));
                await().atMost(WAIT).until(() -> server.stats().closes().get(CloseReason.SLOW_CONSUMER) == 1);
            }
            try (ChannelClient second = ChannelClient.connect(server.localAddress());
                 ChannelClient third = ChannelClient.connect(server.localAddress())) {
                assertTrue(second.callText(TestServers.pingText(1)).isOk());
                assertTrue(third.callText(TestServers.pingText(1)).isOk());
                try (ChannelClient rejected = ChannelClient.connect(server.localAddress())) {
                    assertEquals("busy", rejected.readTextMessage(WAIT).errorCode());
                    rejected.expectEof(WAIT);
                }
            }
            await().atMost(WAIT).until(() -> server.stats().connectionsOpen() == 1
                    && server.stats().closes().get(CloseReason.PROTOCOL_ERROR) == 1);

            JsonNode after = watcher.callText("{\"type\":\"stats\",\"id\":2}").header();
            JsonNode connections = after.path("connections");
            assertEquals(1, connections.path("open").asLong(), after.toString());
            assertEquals(5, connections.path("total").asLong(), "watcher, broken, slow, second, third");
            assertEquals(1, connections.path("rejected").asLong());
            assertEquals(1, after.path("errors").path("unknown_type").asLong());
            assertEquals(1, after.path("errors").path("malformed").asLong());
            assertEquals(1, after.path("errors").path("busy").asLong());
            assertEquals(1, after.path("closes").path("slow_consumer").asLong());
            assertEquals(1, after.path("closes").path("protocol_error").asLong());
            assertEquals(1, after.path("closes").path("rejected").asLong());
            assertEquals(2, after.path("closes").path("client_closed").asLong(), "second and third only");
            // watcher: 2 stats + 5 pings + 1 unknown; broken: 0 (malformed); slow: 1; second and third: 1 each.
            assertEquals(11, after.path("messages").path("in").asLong());
            assertTrue(after.path("messages").path("out").asLong() > before.path("messages").path("out").asLong());
            assertTrue(after.path("bytes").path("in").asLong() > before.path("bytes").path("in").asLong() + 100);
            assertTrue(after.path("bytes").path("out").asLong() > before.path("bytes").path("out").asLong());
            assertTrue(after.path("uptime_ms").asLong() >= before.path("uptime_ms").asLong());
            assertTrue(after.path("loop_lag_ms").path("max").asDouble() >= 0);

            assertEquals(11, server.stats().messagesIn(), "the Java API reads the same counters");
        }
    }

    @Test
    void prometheusEndpointServesTheCountersAtMetrics() throws Exception {
        try (Server server = TestServers.startProbed(TestServers.loopback());
             MetricsEndpoint endpoint = MetricsEndpoint.start(server, "127.0.0.1", 0, Duration.ofSeconds(5));
             ChannelClient client = ChannelClient.connect(server.localAddress())) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(WAIT).build();
            URI metrics = URI.create("http://127.0.0.1:" + endpoint.port() + "/metrics");

            String first = scrape(http, metrics);
            for (String name : new String[] {"courier_connections_open", "courier_connections_total",
                    "courier_connections_rejected_total", "courier_messages_in_total",
                    "courier_messages_out_total", "courier_bytes_in_total", "courier_bytes_out_total",
                    "courier_errors_total{code=\"unknown_type\"}", "courier_closes_total{reason=\"slow_consumer\"}",
                    "courier_loop_lag_seconds_count", "courier_loop_lag_max_seconds", "courier_uptime_seconds"}) {
                assertTrue(first.contains("\n" + name + " "), "/metrics lacks " + name + ":\n" + first);
            }
            assertEquals(1.0, value(first, "courier_connections_open"));
            double received = value(first, "courier_messages_in_total");

            for (int i = 0; i < 3; i++) {
                assertTrue(client.callText(TestServers.pingText(i)).isOk());
            }
            assertEquals("unknown_type", client.callText("{\"type\":\"nope\"}").errorCode());
            await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
                String now = scrape(http, metrics);
                assertEquals(received + 4, value(now, "courier_messages_in_total"), now);
                assertEquals(1.0, value(now, "courier_errors_total{code=\"unknown_type\"}"), now);
            });
        }
    }

    static String scrape(HttpClient http, URI uri) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(WAIT).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"),
                response.headers().toString());
        return "\n" + response.body();
    }

    /** The value of one sample line, e.g. {@code courier_messages_received_total 12.0}. */
    static double value(String exposition, String sample) {
        Matcher matcher = Pattern.compile("\n" + Pattern.quote(sample) + " (\\S+)").matcher(exposition);
        assertTrue(matcher.find(), "no sample " + sample + " in:\n" + exposition);
        return Double.parseDouble(matcher.group(1));
    }
}
