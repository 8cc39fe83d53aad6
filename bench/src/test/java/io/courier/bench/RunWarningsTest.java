package io.courier.bench;

import io.courier.harness.MachineInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The warnings at the top of the results, the scenario labels, and the suite's HTML page. */
class RunWarningsTest {
    private final MachineInfo machine = new MachineInfo(2, "AMD EPYC", "23.5 GiB", "Linux", "openjdk 17");

    private static Measurement run(Scenario scenario, ServerKind server, double clientCpu, double serverCpu) {
        return new Measurement(scenario, server, 1, Map.of(Metric.THROUGHPUT.key(), 50_000.0, Metric.P99.key(),
                900.0, Metric.CLIENT_CPU.key(), clientCpu, Metric.SERVER_CPU.key(), serverCpu,
                Metric.ERRORS.key(), 0.0), 0, null, "raw/r1-" + scenario.label() + "-" + server.label() + ".json");
    }

    private Results results(BenchConfig config, List<Measurement> runs) {
        return new Results(config, machine, 0, "not used", runs, "2026-01-01T00:00Z", null);
    }

    @Test
    void aClientBoundRunAndAShortWarmUpAreWarnedAbout() {
        BenchConfig config = BenchConfig.from(Map.of("scenarios", "echo-100b", "warmup", "1s", "duration", "2s"));
        Results results = results(config, List.of(run(Scenario.ECHO_SMALL, ServerKind.COURIER, 98, 71),
                run(Scenario.ECHO_SMALL, ServerKind.NETTY, 97, 99)));

        List<String> warnings = RunWarnings.of(results);

        assertEquals(3, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).startsWith("warm-up 1s is shorter than 3s"), warnings.get(0));
        assertTrue(warnings.get(1).startsWith("measured period 2s"), warnings.get(1));
        assertTrue(warnings.get(2).startsWith("echo-100b, courier, round 1 was client-bound: client 98% of its core, "
                + "server 71%"), warnings.get(2));
        assertTrue(MarkdownReport.render(results).contains("**Warnings**"));
        assertTrue(JsonReport.render(results).contains("client-bound"));
    }

    @Test
    void aLongEnoughRunWhereTheServerSaturatesHasNoWarning() {
        BenchConfig config = BenchConfig.from(Map.of("scenarios", "echo-100b"));
        Results results = results(config, List.of(run(Scenario.ECHO_SMALL, ServerKind.COURIER, 95, 99)));

        assertEquals(List.of(), RunWarnings.of(results));
        assertFalse(MarkdownReport.render(results).contains("**Warnings**"));
    }

    @Test
    void theHeldScenarioIsNamedByTheConnectionsItReallyHeld() {
        BenchConfig config = BenchConfig.from(Map.of("held", "1000"));

        assertEquals("held-1k", Scenario.HELD_10K.label(config));
        assertTrue(Scenario.HELD_10K.description(config).startsWith("1,000 connections held open"));
        assertEquals("held-10k", Scenario.HELD_10K.label(BenchConfig.from(Map.of())));
        assertEquals("held-2.5k", Scenario.HELD_10K.label(BenchConfig.from(Map.of("held", "2500"))));
        assertEquals("held-300", Scenario.HELD_10K.label(BenchConfig.from(Map.of("held", "300"))));
        assertEquals("echo-100b", Scenario.ECHO_SMALL.label(config));
        Results results = results(config, List.of(new Measurement(Scenario.HELD_10K, ServerKind.COURIER, 1,
                Map.of(Metric.HELD.key(), 1000.0), 0, null, null)));
        assertTrue(MarkdownReport.render(results).contains("## held-1k: 1,000 connections"));
        assertFalse(MarkdownReport.render(results).contains("held-10k"));
    }

    @Test
    void theHtmlPageHasABarPerServerTheWarningsAndLinksToEachRun(@TempDir Path dir) throws Exception {
        BenchConfig config = BenchConfig.from(Map.of("scenarios", "echo-100b", "servers", "courier,netty",
                "warmup", "1s"));
        Results results = results(config, List.of(run(Scenario.ECHO_SMALL, ServerKind.COURIER, 50, 99),
                run(Scenario.ECHO_SMALL, ServerKind.NETTY, 50, 99)));
        Path file = dir.resolve("results.html");
        Files.writeString(file, HtmlSummary.render(results));
        String html = Files.readString(file);

        assertTrue(html.startsWith("<!DOCTYPE html>"));
        assertEquals(2, html.split("<svg ", -1).length - 1, "throughput and p99");
        assertEquals(4, html.split("class=\"bar ", -1).length - 1, "a bar per server per chart");
        assertTrue(html.contains(">50,000</text>") && html.contains(">900</text>"), html);
        assertTrue(html.contains("warm-up 1s is shorter"), html);
        assertTrue(html.contains("href=\"raw/r1-echo-100b-courier.html\""), html);
        assertFalse(html.replace("http://www.w3.org/2000/svg", "").contains("http"), "nothing fetched");
        assertFalse(html.contains("<script"));
    }
}
