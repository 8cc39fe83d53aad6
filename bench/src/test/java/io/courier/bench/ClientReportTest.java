package io.courier.bench;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClientReportTest {
    static final String REPORT = "{\"target\":\"127.0.0.1:6666\",\"mode\":\"depth\",\"framing\":\"binary\",\"type\":\"echo\","
            + "\"connections\":64,\"depth\":16,\"rate\":0,\"header_bytes\":100,\"body_bytes\":0,"
            + "\"duration_seconds\":10.0,\"requests_sent\":1000100,\"replies_ok\":1000000,"
            + "\"throughput_per_second\":100000.0,"
            + "\"latency_micros\":{\"p50\":120,\"p90\":300,\"p99\":900.5,\"p999\":2000,\"max\":5000,\"mean\":150.2},"
            + "\"errors\":{\"lost\":1,\"duplicated\":2,\"mismatched\":3,\"error_replies\":4,\"connect_failures\":5,"
            + "\"disconnects\":6},\"bytes_sent\":10485760,\"bytes_received\":20971520,\"held_connections\":0}";

    @Test
    void readsEveryFieldTheSuiteUses() throws IOException {
        ClientReport report = ClientReport.parse(REPORT);

        assertEquals(10.0, report.durationSeconds());
        assertEquals(1000100, report.requestsSent());
        assertEquals(1000000, report.repliesOk());
        assertEquals(100000.0, report.throughputPerSecond());
        assertEquals(120, report.latencyMicros().p50());
        assertEquals(900.5, report.latencyMicros().p99());
        assertEquals(5000, report.latencyMicros().max());
        assertEquals(21, report.errors().total());
        assertEquals(3 * 1024 * 1024, report.bytesPerSecond(), 1e-6);
        assertEquals("depth", report.raw().get("mode").asText());
    }

    @Test
    void metricsComeFromTheReport() throws IOException {
        Map<String, Double> values = Measurement.fromReport(ClientReport.parse(REPORT));

        assertEquals(100000.0, values.get(Metric.THROUGHPUT.key()));
        assertEquals(3.0, values.get(Metric.MIB_PER_SECOND.key()), 1e-9);
        assertEquals(2000, values.get(Metric.P999.key()));
        assertEquals(21, values.get(Metric.ERRORS.key()));
    }

    @Test
    void missingFieldsReadAsZeroOrNaN() throws IOException {
        ClientReport report = ClientReport.parse("{\"throughput_per_second\":5, \"held_connections\":10000}");

        assertEquals(5, report.throughputPerSecond());
        assertEquals(10000, report.heldConnections());
        assertEquals(0, report.errors().total());
        assertTrue(Double.isNaN(report.latencyMicros().p50()));
        assertTrue(Double.isNaN(report.bytesPerSecond()));
    }

    @Test
    void aReportThatIsNotAnObjectIsRefused() {
        assertThrows(IOException.class, () -> ClientReport.parse("[1,2]"));
        assertThrows(IOException.class, () -> ClientReport.parse("{\"throughput"));
    }
}
