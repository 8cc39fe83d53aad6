package io.courier.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import io.courier.protocol.Framing;
import io.courier.protocol.Json;
import io.courier.server.Server;
import io.courier.server.config.ServerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Short loads against a real Courier server in this JVM: everything must be answered correctly. */
class LoadRunnerTest {
    private static Server server;

    @TempDir
    Path dir;

    @BeforeAll
    static void startServer() throws Exception {
        server = Server.builder().config(ServerConfig.builder().port(0).build()).build().start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    private static LoadOptions.Builder options() {
        return LoadOptions.builder().port(server.port()).threads(2).progress(false)
                .grace(Duration.ofSeconds(5)).duration(Duration.ofSeconds(30));
    }

    private static Report run(LoadOptions options) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Report report = new LoadRunner(options, new PrintStream(out, true, StandardCharsets.UTF_8)).run();
        assertTrue(report.success(), () -> out.toString(StandardCharsets.UTF_8));
        return report;
    }

    @ParameterizedTest
    @EnumSource(Framing.class)
    void aClosedLoopGetsEveryRequestAnsweredInBothFramings(Framing framing) throws Exception {
        Report report = run(options().framing(framing).connections(8).depth(8).requests(20_000)
                .headerBytes(150).bodyBytes(256).headerTemplate(Json.NODES.objectNode().put("room", "r1")).build());
        assertEquals(0, report.errors().total());
        assertEquals(20_000, report.requestsSent());
        assertEquals(20_000, report.repliesOk());
        assertEquals(20_000, report.latency().count());
        assertEquals(8, report.heldConnections());
        assertTrue(report.bytesSent() > 20_000L * (150 + 256), "bytes sent " + report.bytesSent());
        assertTrue(report.bytesReceived() > 20_000L * (150 + 256), "bytes received " + report.bytesReceived());
        assertTrue(report.throughputPerSecond() > 0);
    }

    @Test
    void anOpenLoopSendsAtTheRequestedRate() throws Exception {
        Report report = run(options().rate(1000).connections(10).duration(Duration.ofMillis(1500)).build());
        // 1500 slots; the first few of each connection pass while it connects and are not owed.
        assertTrue(report.requestsSent() >= 1350 && report.requestsSent() <= 1500, "sent " + report.requestsSent());
        assertEquals(report.requestsSent(), report.repliesOk());
        assertEquals(Mode.OPEN, report.mode());
    }

    @Test
    void warmUpRequestsAreVerifiedButNotMeasured() throws Exception {
        Report report = run(options().rate(400).connections(4).warmup(Duration.ofMillis(500))
                .duration(Duration.ofMillis(500)).type("ping").build());
        assertTrue(report.warmupSent() > 100, "warm-up " + report.warmupSent());
        assertEquals(report.warmupSent(), report.warmupOk());
        assertTrue(report.requestsSent() >= 190 && report.requestsSent() <= 201, "sent " + report.requestsSent());
        assertEquals(report.requestsSent(), report.latency().count());
    }

    @Test
    void holdModeKeepsConnectionsFromSeveralSourceAddresses() throws Exception {
        Report report = run(options().hold(1000).rampUp(Duration.ofMillis(300)).pingInterval(Duration.ofMillis(200))
                .duration(Duration.ofSeconds(1))
                .sourceAddresses(List.of(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("127.0.0.2")))
                .build());
        assertEquals(1000, report.heldConnections());
        assertEquals(1000, report.peakHeld());
        assertEquals(0, report.errors().connectFailures());
        assertTrue(report.requestsSent() > 1000, "pings " + report.requestsSent());
        assertEquals("ping", report.type());
        assertEquals(Mode.HOLD, report.mode());
    }

    @Test
    void theCommandLinePrintsProgressAndWritesJsonHistogramCsvAndHtml() throws Exception {
        Path json = dir.resolve("report.json");
        Path hgrm = dir.resolve("latency-us.hgrm");
        Path csv = dir.resolve("seconds.csv");
        Path html = dir.resolve("report.html");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = LoadTestMain.execute(new String[] {"--port", Integer.toString(server.port()), "--connections",
            "4", "--depth", "4", "--duration", "2s", "--warmup", "1s", "--framing", "text", "--json",
            json.toString(), "--hgrm", hgrm.toString(), "--csv", csv.toString(), "--html", html.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        String output = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, exit, output);
        assertTrue(Arrays.stream(output.split("\n")).anyMatch(l -> ReportWriterTest.PROGRESS.matcher(l).matches()),
                output);
        JsonNode report = Json.MAPPER.readTree(json.toFile());
        assertEquals("closed", report.get("mode").textValue());
        assertEquals("text", report.get("framing").textValue());
        assertTrue(report.get("requests_sent").longValue() > 0);
        assertEquals(report.get("requests_sent").longValue(), report.get("replies_ok").longValue());
        assertTrue(Files.readString(hgrm).contains("Percentile"));
        List<String> rows = Files.readAllLines(csv);
        assertEquals(ReportWriter.CSV_HEADER, rows.get(0));
        assertTrue(rows.size() >= 3, "a row per second: " + rows);
        assertTrue(rows.stream().anyMatch(r -> r.contains(",warmup,")) && rows.stream()
                .anyMatch(r -> r.contains(",measured,")), rows.toString());
        String page = Files.readString(html);
        assertTrue(page.contains("Throughput over time") && page.contains("<polyline"), page);
        assertTrue(page.contains("measured</td>"), page);
    }
}
