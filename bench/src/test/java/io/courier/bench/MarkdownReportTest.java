package io.courier.bench;

import io.courier.harness.MachineInfo;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MarkdownReportTest {
    private final BenchConfig config = BenchConfig.from(Map.of("rounds", "3", "scenarios", "echo-100b",
            "pin", "true"));
    private final MachineInfo machine = new MachineInfo(2, "AMD EPYC", "23.5 GiB", "Linux", "openjdk 17");

    private static Measurement run(ServerKind server, int round, double throughput, double p99) {
        return new Measurement(Scenario.ECHO_SMALL, server, round,
                Map.of(Metric.THROUGHPUT.key(), throughput, Metric.P99.key(), p99, Metric.ERRORS.key(), 0.0),
                0, null, "raw/r" + round + "-echo-100b-" + server.label() + ".json");
    }

    private Results results() {
        List<Measurement> runs = new ArrayList<>();
        double[][] courier = {{120_000, 900}, {100_000, 1100}, {110_000, 1000}};
        double[][] netty = {{100_000, 1000}, {90_000, 1200}, {95_000, 800}};
        double[][] blocking = {{40_000, 5000}, {50_000, 4000}, {45_000, 4500}};
        for (int round = 1; round <= 3; round++) {
            runs.add(run(ServerKind.COURIER, round, courier[round - 1][0], courier[round - 1][1]));
            runs.add(run(ServerKind.NETTY, round, netty[round - 1][0], netty[round - 1][1]));
            runs.add(run(ServerKind.BLOCKING, round, blocking[round - 1][0], blocking[round - 1][1]));
        }
        return new Results(config, machine, 0, "not used", runs, "2026-01-01T00:00Z", null);
    }

    @Test
    void theTableShowsMediansAndRatiosToBothPeers() {
        String table = MarkdownReport.table(Scenario.ECHO_SMALL, results(), config.servers(),
                List.of(Metric.THROUGHPUT, Metric.P99));

        assertEquals(String.join("\n",
                "| metric | courier | netty | blocking | courier/netty | courier/blocking |",
                "|---|---:|---:|---:|---:|---:|",
                "| throughput (msg/s) ↑ | 110,000 | 95,000 | 45,000 | 1.16× | 2.44× |",
                "| p99 (µs) ↓ | 1,000 | 1,000 | 4,500 | 1.00× | 0.22× |", ""), table);
    }

    @Test
    void tlsEchoIsSetAgainstThePlaintextEchoPerServerCpuSecondForTheServersThatSpeakTls() {
        BenchConfig both = BenchConfig.from(Map.of("rounds", "1", "scenarios", "echo-100b,tls-echo-100b",
                "servers", "courier,netty,blocking"));
        List<Measurement> runs = new ArrayList<>();
        Map<ServerKind, double[]> perCpuSecond = Map.of(ServerKind.COURIER, new double[] {1_000_000, 600_000},
                ServerKind.NETTY, new double[] {700_000, 350_000}, ServerKind.BLOCKING, new double[] {300_000, 0});
        for (ServerKind server : List.of(ServerKind.COURIER, ServerKind.NETTY, ServerKind.BLOCKING)) {
            double[] values = perCpuSecond.get(server);
            runs.add(new Measurement(Scenario.ECHO_SMALL, server, 1, Map.of(Metric.PER_CPU_SECOND.key(), values[0]),
                    0, null, "raw/plain.json"));
            if (server.speaksTls()) {
                runs.add(new Measurement(Scenario.TLS_ECHO_SMALL, server, 1,
                        Map.of(Metric.PER_CPU_SECOND.key(), values[1]), 0, null, "raw/tls.json"));
            }
        }
        Results results = new Results(both, machine, 0, "not used", runs, "2026-01-01T00:00Z", null);

        String table = MarkdownReport.tlsAgainstPlaintext(results, both.servers());

        assertTrue(table.contains("| courier | 1,000,000 | 600,000 | 0.60× |"), table);
        assertTrue(table.contains("| netty | 700,000 | 350,000 | 0.50× |"), table);
        assertTrue(!table.contains("blocking"), table);
        assertTrue(MarkdownReport.render(results).contains("TLS against plaintext"));
    }

    @Test
    void withoutCourierThereAreNoRatioColumnsAndMissingValuesAreDashes() {
        Results results = results();
        String table = MarkdownReport.table(Scenario.ECHO_SMALL, results, List.of(ServerKind.NETTY),
                List.of(Metric.THROUGHPUT, Metric.P50));

        assertEquals(String.join("\n", "| metric | netty |", "|---|---:|", "| throughput (msg/s) ↑ | 95,000 |",
                "| p50 (µs) ↓ | – |", ""), table);
    }

    @Test
    void theDocumentHasTheMachineRawRoundsAndProblems() {
        List<Measurement> runs = new ArrayList<>(results().runs());
        runs.add(new Measurement(Scenario.ECHO_SMALL, ServerKind.BLOCKING, 4, Map.of(), 1,
                "the client exited with code 1\nmore detail", null));
        String md = MarkdownReport.render(new Results(config, machine, 0, "not used", runs, "then", null));

        assertTrue(md.contains("| CPU model | AMD EPYC |"), md);
        assertTrue(md.contains("| courier | 2 | 100,000 |"), md);
        assertTrue(md.contains("- blocking, round 4: the client exited with code 1\n"), md);
        assertTrue(md.contains("`taskset -c 0`"), md);
    }

    @Test
    void numbersAreGroupedOrGivenSensibleDecimals() {
        assertEquals("1,234,568", MarkdownReport.number(1234567.8));
        assertEquals("0", MarkdownReport.number(0));
        assertEquals("123.5", MarkdownReport.number(123.46));
        assertEquals("1.23", MarkdownReport.number(1.234));
        assertEquals("–", MarkdownReport.number(Double.NaN));
        assertEquals("1.50×", MarkdownReport.ratio(1.5));
        assertEquals("–", MarkdownReport.ratio(Double.NaN));
    }

    @Test
    void theJsonHasMediansAndEveryRun() throws Exception {
        com.fasterxml.jackson.databind.JsonNode json = io.courier.protocol.Json.MAPPER.readTree(
                JsonReport.render(results()));

        assertEquals(110_000, json.at("/medians/echo-100b/courier/throughput_per_second").asDouble());
        assertEquals(9, json.get("runs").size());
        assertTrue(json.at("/medians/echo-100b/netty/p50_micros").isNull());
        assertEquals("AMD EPYC", json.at("/machine/cpu_model").asText());
    }
}
