package io.courier.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fan-out mode against a real Courier server in this JVM (two listeners, so two targets), and against
 * {@link FaultyRoomServer}, whose one lost, doubled or swapped delivery the tool must catch.
 */
class FanoutModeTest {
    private static Server server;

    @TempDir
    Path dir;

    @BeforeAll
    static void startServer() throws Exception {
        server = Server.builder().config(ServerConfig.builder().listen("127.0.0.1:0").listen("127.0.0.1:0").build())
                .build().start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    private static List<Target> targets() {
        return server.localAddresses().stream()
                .map(a -> new Target("127.0.0.1", ((InetSocketAddress) a).getPort())).toList();
    }

    private static LoadOptions.Builder options() {
        return LoadOptions.builder().targets(targets()).progress(false).grace(Duration.ofSeconds(5))
                .warmup(Duration.ofMillis(300)).duration(Duration.ofMillis(1500));
    }

    private static Report run(LoadOptions options) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Report report = new LoadRunner(options, new PrintStream(out, true, StandardCharsets.UTF_8)).run();
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("Fan-out"), text);
        return report;
    }

    @Test
    void aClosedLoopDeliversEveryMessageToEveryMemberAndWritesEveryReport() throws Exception {
        Path json = dir.resolve("fanout.json");
        Path csv = dir.resolve("fanout.csv");
        Path hgrm = dir.resolve("fanout-us.hgrm");
        Report report = run(options().fanoutMembers(12).publishers(3).depth(4).room("closed")
                .jsonFile(json).csvFile(csv).hgrmFile(hgrm).build());
        assertTrue(report.success(), report.toString());
        assertEquals(Mode.FANOUT, report.mode());
        FanoutFigures fanout = report.fanout();
        assertEquals(12, fanout.members());
        assertEquals(3, fanout.publishers());
        assertTrue(fanout.publishes() > 0, report.toString());
        assertEquals(fanout.publishes() * 12, report.requestsSent());
        assertEquals(report.requestsSent(), report.repliesOk());
        assertEquals(report.repliesOk(), report.latency().count());
        assertTrue(report.throughputPerSecond() > fanout.publishesPerSecond() * 11, report.toString());
        // Each publisher is a member too and gets the messages (counted, not checked; the run does not wait
        // for the last of them).
        assertTrue(report.events() > 0 && report.events() <= 3L * (fanout.publishes() + report.warmupSent() / 12),
                "publishers' own deliveries: " + report.events());

        JsonNode written = Json.MAPPER.readTree(json.toFile());
        assertEquals("fanout", written.path("mode").asText());
        assertEquals(12, written.path("fanout").path("members").asInt());
        assertEquals(fanout.publishes(), written.path("fanout").path("publishes").asLong());
        assertTrue(written.path("fanout").path("deliveries_per_second").asDouble() > 0);
        assertTrue(written.path("latency_micros").path("p999").asDouble() > 0);
        assertTrue(Files.readString(csv).startsWith(ReportWriter.CSV_HEADER));
        assertTrue(Files.readString(hgrm).contains("Percentile"));
    }

    @Test
    void anOpenLoopPublishesAtTheRequestedRate() throws Exception {
        Report report = run(options().fanoutMembers(5).publishers(2).rate(200).room("open").build());
        assertTrue(report.success(), report.toString());
        // 1.5 s at 200/s: 300 measured publishes, give or take the slot at each edge.
        assertTrue(Math.abs(report.fanout().publishes() - 300) <= 4, "publishes " + report.fanout().publishes());
        assertEquals(report.fanout().publishes() * 5, report.repliesOk());
        assertEquals(0, report.depth(), "no window in the open loop");
    }

    @Test
    void thePublishersMayUseAnotherTargetThanTheMembers() throws Exception {
        List<Target> both = targets();
        Report report = run(options().targets(List.of(both.get(1))).publisherTarget(both.get(0))
                .fanoutMembers(4).room("split").build());
        assertTrue(report.success(), report.toString());
        assertEquals(both.get(0).toString(), report.fanout().publisherTarget());
    }

    @ParameterizedTest
    @EnumSource(FaultyRoomServer.Fault.class)
    void aWrongDeliveryFailsTheRun(FaultyRoomServer.Fault fault) throws Exception {
        try (FaultyRoomServer faulty = new FaultyRoomServer(fault)) {
            // No warm-up: the 10th message is in the measured period; the grace ends the wait for the dropped one.
            Report report = run(LoadOptions.builder().port(faulty.port()).progress(false).warmup(Duration.ZERO)
                    .duration(Duration.ofMillis(800)).grace(Duration.ofMillis(500)).fanoutMembers(3).depth(2)
                    .build());
            assertFalse(report.success(), report.toString());
            ErrorCounts errors = report.errors();
            switch (fault) {
                case DROP_10TH:
                    assertEquals(1, errors.lost(), report.toString());
                    assertEquals(0, errors.duplicated());
                    break;
                case DUPLICATE_10TH:
                    assertEquals(1, errors.duplicated(), report.toString());
                    assertEquals(0, errors.lost());
                    break;
                default:
                    assertEquals(1, report.fanout().outOfOrder(), report.toString());
                    assertEquals(1, errors.mismatched());
                    assertEquals(0, errors.lost());
                    break;
            }
            assertTrue(report.errorSamples().stream().anyMatch(s -> s.matches("m\\d+: publisher 0 message 1[01] .*")
                    || s.contains("(lost)")), "the sample says what went wrong: " + report.errorSamples());
        }
    }

    @Test
    void theCommandLineRunsFanOutAndExitsOneOnALostDelivery() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int port = ((InetSocketAddress) server.localAddresses().get(0)).getPort();
        assertEquals(0, LoadTestMain.execute(new String[] {"--port", String.valueOf(port), "--fanout-members", "3",
                "--publishers", "2", "--room", "cli", "--text-bytes", "200", "--duration", "500ms", "--warmup", "0",
                "-q"}, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true,
                StandardCharsets.UTF_8)), () -> out + "\n" + err);
        try (FaultyRoomServer faulty = new FaultyRoomServer(FaultyRoomServer.Fault.DROP_10TH)) {
            assertEquals(1, LoadTestMain.execute(new String[] {"--port", String.valueOf(faulty.port()),
                    "--fanout-members", "2", "--duration", "500ms", "--warmup", "0", "--grace", "300ms", "-q"},
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true,
                            StandardCharsets.UTF_8)));
        }
        assertEquals(2, LoadTestMain.execute(new String[] {"--fanout-members", "2", "--hold", "3"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true,
                        StandardCharsets.UTF_8)));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--fanout-members does not combine with --hold"));
    }
}
