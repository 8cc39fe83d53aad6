package io.courier.loadtest;

import io.courier.loadtest.FaultyServer.Fault;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The client must notice every way a server can answer wrongly, and fail the run. */
class FaultDetectionTest {

    private static Report run(Fault fault, LoadOptions.Builder options) throws Exception {
        try (FaultyServer server = new FaultyServer(fault)) {
            return run(options.port(server.port()).build());
        }
    }

    private static Report run(LoadOptions options) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        return new LoadRunner(options, new PrintStream(out, true, StandardCharsets.UTF_8)).run();
    }

    private static LoadOptions.Builder closedLoop() {
        // 2 connections x 200 requests: the server's every-10th fault hits 20 per connection.
        return LoadOptions.builder().threads(2).progress(false).connections(2).depth(4).requests(400)
                .bodyBytes(64).duration(Duration.ofSeconds(20)).grace(Duration.ofMillis(300));
    }

    @Test
    void theFaultyServerEchoesCorrectlyWhenAskedTo() throws Exception {
        Report report = run(Fault.NONE, closedLoop());
        assertTrue(report.success(), report.problems().toString());
        assertEquals(400, report.repliesOk());
    }

    @Test
    void aCorruptedBodyIsCaught() throws Exception {
        Report report = run(Fault.CORRUPT_BODY, closedLoop());
        assertEquals(40, report.errors().mismatched());
        assertEquals(0, report.errors().lost());
        assertEquals(400, report.requestsSent());
        assertEquals(360, report.repliesOk());
        assertFalse(report.success());
        assertTrue(report.errorSamples().get(0).contains("CRC32"), report.errorSamples().toString());
    }

    @Test
    void aReplyWithAWrongIdIsCaughtAndItsRequestIsLost() throws Exception {
        // Each wrong id leaves its request unanswered: after 4 the closed loop has nothing in flight that can
        // complete, so the run ends at --duration and the grace period.
        Report report = run(Fault.WRONG_ID, closedLoop().duration(Duration.ofSeconds(1)));
        assertEquals(8, report.errors().mismatched());
        assertEquals(8, report.errors().lost());
        assertFalse(report.success());
    }

    @Test
    void droppedRequestsAreLost() throws Exception {
        Report report = run(Fault.DROP_EVERY_10TH, LoadOptions.builder().threads(2).progress(false).connections(2)
                .rate(500).duration(Duration.ofSeconds(1)).grace(Duration.ofMillis(300)));
        long sent = report.requestsSent();
        long lost = report.errors().lost();
        assertTrue(sent > 400, "sent " + sent);
        assertTrue(lost > sent / 10 - 2 && lost <= sent / 10, "lost " + lost + " of " + sent);
        assertEquals(sent, report.repliesOk() + lost);
        assertFalse(report.success());
    }

    @Test
    void aDuplicateReplyIsCaught() throws Exception {
        Report report = run(Fault.DUPLICATE_EVERY_10TH, closedLoop());
        assertEquals(40, report.errors().duplicated());
        assertEquals(400, report.repliesOk());
        assertFalse(report.success());
    }

    @Test
    void errorRepliesAreCountedByCode() throws Exception {
        Report report = run(Fault.ERROR_EVERY_10TH, closedLoop());
        assertEquals(40, report.errors().errorReplies());
        assertEquals(Map.of("handler_failed", 40L), report.errorReplyCodes());
        assertEquals(360, report.repliesOk());
        assertFalse(report.success());
    }

    @Test
    void aServerThatClosesMidRunCausesDisconnectsAndLostRequests() throws Exception {
        Report report = run(Fault.CLOSE_AFTER_50, closedLoop());
        assertEquals(2, report.errors().disconnects());
        assertTrue(report.errors().lost() >= 2, "lost " + report.errors().lost());
        assertEquals(100, report.repliesOk());
        assertFalse(report.success());
    }

    @Test
    void nobodyListeningMeansConnectFailures() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Report report = run(closedLoop().port(port).connections(3).build());
        assertEquals(3, report.errors().connectFailures());
        assertEquals(0, report.requestsSent());
        assertFalse(report.success());
    }

    @Test
    void theCommandLineExitsOneWhenAReplyIsWrong() throws Exception {
        try (FaultyServer server = new FaultyServer(Fault.CORRUPT_BODY)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int exit = LoadTestMain.execute(new String[] {"--port", Integer.toString(server.port()), "-c", "1",
                "--requests", "100", "--body-bytes", "32", "--warmup", "0", "-q"},
                new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
            String output = out.toString(StandardCharsets.UTF_8);
            assertEquals(1, exit, output);
            assertTrue(output.contains("mismatched 10"), output);
            assertTrue(output.contains("Result    FAILED"), output);
        }
    }

    @Test
    void aStalledServerCannotHideItsStallFromAnOpenLoop() throws Exception {
        // The server reads nothing for 800 ms: 32 KiB bodies at 500/s (16 MB/s) fill the client's socket long
        // before that. Latency counts from intended send times, so the stall shows in the percentiles, and the
        // slots that passed while the client could not send are still sent: the count matches the rate.
        Report report = run(Fault.STALL_FIRST, LoadOptions.builder().threads(1).progress(false).connections(1)
                .rate(500).bodyBytes(32 * 1024).duration(Duration.ofMillis(1500)).grace(Duration.ofSeconds(5)));
        assertTrue(report.success(), report.problems() + " " + report.errorSamples());
        assertTrue(report.requestsSent() >= 700 && report.requestsSent() <= 750, "sent " + report.requestsSent());
        assertTrue(report.latency().max() >= 600_000, "max " + report.latency().max() + " us");
        assertTrue(report.latency().p90() >= 300_000, "p90 " + report.latency().p90() + " us");
    }
}
