package io.courier.server.ops;

import io.courier.protocol.Message;
import io.courier.protocol.client.MessageClient;
import io.courier.server.Server;
import io.courier.server.metrics.MetricsEndpoint;
import io.courier.server.support.TestServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Prometheus's own linter on what we serve and ship: {@code promtool check metrics} on a live scrape (every metric
 * present: requests of several types and outcomes, histograms filled) and {@code promtool check rules} on
 * deploy/courier-alerts.yml. Skipped, saying so, where promtool is not installed.
 */
@Timeout(60)
class PromtoolTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Path ALERTS = Path.of("..", "deploy", "courier-alerts.yml").toAbsolutePath().normalize();

    @Test
    void theScrapePassesPromtoolCheckMetrics(@TempDir Path dir) throws Exception {
        Path promtool = Tools.require("promtool", "apt-get install prometheus");
        try (Server server = TestServers.start();
             MetricsEndpoint endpoint = MetricsEndpoint.start(server, "127.0.0.1", 0, Duration.ofSeconds(5));
             MessageClient client = MessageClient.connect(server.localAddress())) {
            assertTrue(client.call(Message.of("ping"), WAIT).isOk());
            assertEquals("unknown_type", client.call(Message.of("nope"), WAIT).errorCode());
            assertEquals("bad_request", client.call(Message.of("room.join"), WAIT).errorCode());
            Path scrape = Files.writeString(dir.resolve("metrics.txt"),
                    Http.scrape("http://127.0.0.1:" + endpoint.port()).substring(1), StandardCharsets.UTF_8);
            Tools.Run check = Tools.run(scrape, promtool.toString(), "check", "metrics");
            assertEquals(0, check.exitCode(), check.output());
            assertEquals("", check.output().strip(), "promtool check metrics found problems");
        }
    }

    @Test
    void theAlertRulesPassPromtoolCheckRules() throws Exception {
        Path promtool = Tools.require("promtool", "apt-get install prometheus");
        Tools.Run check = Tools.run(null, promtool.toString(), "check", "rules", ALERTS.toString());
        assertEquals(0, check.exitCode(), check.output());
        assertTrue(check.output().contains("SUCCESS"), check.output());
    }
}
