package io.courier.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.courier.protocol.Json;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportWriterTest {
    /** The progress line other programs parse. */
    static final Pattern PROGRESS = Pattern.compile(
            "\\[ *\\d+\\.\\ds] rps=\\d+ p50=\\d+\\.\\d{3}ms p99=\\d+\\.\\d{3}ms errors=\\d+ open=\\d+ held=\\d+");

    @TempDir
    Path dir;

    private static Histogram oneToThousandMicros() {
        Histogram histogram = new Histogram(3);
        for (long micros = 1; micros <= 1000; micros++) {
            histogram.recordValue(micros * 1000); // recorded in nanoseconds
        }
        return histogram;
    }

    private static Report report(ErrorCounts errors, long sent, long ok) {
        Histogram latency = oneToThousandMicros();
        return new Report("127.0.0.1:6666", Mode.CLOSED, "binary", "echo", 64, 16, 0, 100, 0, 10.0, sent, ok,
                0, 0, ok / 10.0, LatencySummary.of(latency), errors, Map.of(), 0, 1000, 2000, 64, 64, 0,
                latency, List.of(), null, SECONDS, null);
    }

    private static final List<Interval> SECONDS = List.of(new Interval(1.0, false, 4321, 150, 900, 0, 64),
            new Interval(2.0, true, 6543, 120, 800, 0, 64), new Interval(3.0, true, 7654, 110, 1700, 1, 63));

    @Test
    void theCsvHasOneRowPerSecondWithItsPhase() {
        String csv = ReportWriter.csv(report(new ErrorCounts(0, 0, 0, 0, 0, 0), 1000, 1000));

        assertEquals(List.of("seconds,phase,replies_per_second,p50_ms,p99_ms,errors,held",
                "1.0,warmup,4321,0.150,0.900,0,64", "2.0,measured,6543,0.120,0.800,0,64",
                "3.0,measured,7654,0.110,1.700,1,63"), csv.lines().toList());
    }

    @Test
    void theHtmlPageIsSelfContainedAndHoldsEveryDataPoint(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("report.html");
        HtmlReport.write(report(new ErrorCounts(0, 0, 0, 0, 0, 0), 1000, 1000), file);
        String html = Files.readString(file);

        assertTrue(html.startsWith("<!DOCTYPE html>"), html);
        assertEquals(3, html.split("<svg ", -1).length - 1, "three charts");
        assertEquals(3, html.split("<polyline ", -1).length - 1, "one line each");
        for (String row : new String[] {"<td>1.0</td><td>warm-up</td><td>4321</td>",
                "<td>2.0</td><td>measured</td><td>6543</td>", "<td>3.0</td><td>measured</td><td>7654</td><td>0.110</td>"
                + "<td>1.700</td>", "<td>50</td><td>0.500</td>", "<td>99.9</td><td>0.999</td>"}) {
            assertTrue(html.contains(row), row);
        }
        String throughput = html.substring(html.indexOf("Throughput over time"));
        String points = throughput.substring(throughput.indexOf("points=\"") + 8);
        assertEquals(3, points.substring(0, points.indexOf('"')).trim().split(" ").length, "a point per second");
        assertFalse(html.replace("http://www.w3.org/2000/svg", "").contains("http"), "no network reference");
        assertFalse(html.contains("<script"), "no script");
    }

    @Test
    void aRunWithoutWarmUpSaysItsFiguresIncludeTheJit() {
        Report report = report(new ErrorCounts(0, 0, 0, 0, 0, 0), 1000, 1000);

        assertTrue(report.warnings().get(0).contains("JIT"), report.warnings().toString());
        assertTrue(ReportWriter.text(report).contains("Warning   no warm-up"), ReportWriter.text(report));
        assertTrue(ReportWriter.json(report).get("warnings").get(0).asText().contains("--warmup"));
    }

    @Test
    void percentilesAreMicrosecondsFromANanosecondHistogram() {
        LatencySummary summary = LatencySummary.of(oneToThousandMicros());
        assertEquals(500, summary.p50(), 1);
        assertEquals(900, summary.p90(), 1);
        assertEquals(990, summary.p99(), 1);
        assertEquals(999, summary.p999(), 1);
        assertEquals(1000, summary.max(), 1);
        assertEquals(500.5, summary.mean(), 0.5);
        assertEquals(1000, summary.count());
    }

    @Test
    void jsonHasExactlyTheKeysOtherProgramsRead() {
        ObjectNode json = ReportWriter.json(report(new ErrorCounts(0, 0, 0, 0, 0, 0), 1000, 1000));
        assertEquals(List.of("target", "mode", "framing", "type", "connections", "depth", "rate", "header_bytes",
                "body_bytes", "duration_seconds", "requests_sent", "replies_ok", "throughput_per_second",
                "latency_micros", "errors", "bytes_sent", "bytes_received", "held_connections", "warnings"),
                keys(json));
        assertEquals(List.of("p50", "p90", "p99", "p999", "max", "mean"), keys(json.get("latency_micros")));
        assertEquals(List.of("lost", "duplicated", "mismatched", "error_replies", "connect_failures",
                "disconnects"), keys(json.get("errors")));
        assertEquals("127.0.0.1:6666", json.get("target").textValue());
        assertEquals("closed", json.get("mode").textValue());
        assertEquals(0, json.get("rate").intValue());
        assertTrue(json.get("rate").isIntegralNumber());
        assertEquals(10.0, json.get("duration_seconds").doubleValue());
        assertEquals(100.0, json.get("throughput_per_second").doubleValue());
        assertEquals(500, json.get("latency_micros").get("p50").doubleValue(), 1);
        assertEquals(64, json.get("held_connections").intValue());
    }

    @Test
    void writesJsonAndTheHistogramInMicroseconds() throws Exception {
        Report report = report(new ErrorCounts(1, 0, 2, 0, 0, 0), 1000, 997);
        Path json = dir.resolve("report.json");
        Path hgrm = dir.resolve("latency-us.hgrm");
        ReportWriter.writeJson(report, json);
        ReportWriter.writeHgrm(report, hgrm);
        JsonNode read = Json.MAPPER.readTree(json.toFile());
        assertEquals(2, read.get("errors").get("mismatched").intValue());
        String distribution = Files.readString(hgrm);
        assertTrue(distribution.contains("Value     Percentile TotalCount"), distribution);
        assertTrue(distribution.contains("#[Max     =     1000.447"), distribution); // microseconds
    }

    @Test
    void successMeansNoErrorAndEveryRequestAnswered() {
        Report good = report(new ErrorCounts(0, 0, 0, 0, 0, 0), 1000, 1000);
        assertTrue(good.success());
        assertTrue(ReportWriter.text(good).contains("Result    OK"), ReportWriter.text(good));

        Report lost = report(new ErrorCounts(3, 0, 0, 0, 0, 0), 1000, 997);
        assertFalse(lost.success());
        String text = ReportWriter.text(lost);
        assertTrue(text.contains("lost 3"), text);
        assertTrue(text.contains("Result    FAILED"), text);

        assertFalse(report(new ErrorCounts(0, 0, 0, 0, 0, 0), 0, 0).success(), "nothing sent is no success");
    }

    @Test
    void progressLineHasTheParsedShape() {
        String line = ProgressMeter.format(3.04, 12345, 123.4, 1234.4, 0, 64, 64);
        assertEquals("[  3.0s] rps=12345 p50=0.123ms p99=1.234ms errors=0 open=64 held=64", line);
        assertTrue(PROGRESS.matcher(line).matches());
        assertTrue(PROGRESS.matcher(ProgressMeter.format(1234.5, 0, 0, 0, 7, 0, 0)).matches());
    }

    private static List<String> keys(JsonNode node) {
        List<String> keys = new ArrayList<>();
        Iterator<String> names = node.fieldNames();
        names.forEachRemaining(keys::add);
        return keys;
    }
}
