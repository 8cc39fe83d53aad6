package io.courier.soak;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.courier.harness.MachineInfo;
import io.courier.protocol.Json;
import io.courier.protocol.units.Quantities;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SoakReportTest {

    private static SoakOutcome outcome(List<Check> checks, String failure) {
        List<Sample> samples = SoakChecksTest.samples(0, 0);
        Sample before = new Sample(0, 20 * SoakChecksTest.MIB, 80 * SoakChecksTest.MIB, 41, 1, 0.1, 0.3);
        Sample after = new Sample(181, 21 * SoakChecksTest.MIB, 95 * SoakChecksTest.MIB, 42, 1, 0.2, 40);
        ObjectNode stats = Json.NODES.objectNode();
        stats.putObject("connections").put("total", 1234).put("open", 1).put("rejected", 0);
        stats.putObject("messages").put("in", 5000).put("out", 5001);
        stats.putObject("bytes").put("in", 3 << 20).put("out", 4 << 20);
        stats.putObject("closes").put("client_closed", 700).put("reset", 300).put("timeout", 0);
        stats.putObject("errors").put("malformed", 12).put("busy", 0);
        return new SoakOutcome(SoakChecksTest.CONFIG, new MachineInfo(2, "Test CPU", "3.8 GiB", "Linux 6 amd64",
                "openjdk 17"), "2026-11-25T03:50:00Z", 180.4, List.of("java", "-jar", "server.jar"),
                List.of(new Workload("echo (binary)", 1000, 0, "16 connections | depth 4", List.of())),
                List.of(new HostileSummary("garbage", 10, 1, Map.of("unknown_protocol, then EOF", 9L,
                        "nothing, then RESET", 1L), List.of("garbage #3: nothing, then RESET"))),
                4, samples, before, after, List.of(), List.of(), List.of(0.4, 0.5), stats, 0, 2, 0, checks, failure);
    }

    @Test
    void passedRunSaysSoAndListsChecksWorkloadsHostilesAndSamples() {
        String md = SoakReport.markdown(outcome(List.of(new Check("heap after GC shows no growth trend", true,
                "5 samples"), new Check("file descriptors do not grow", true, "flat")), null));
        assertTrue(md.startsWith("# Courier soak results\n\n**PASSED**: 2 of 2 checks passed"), md);
        assertTrue(md.contains("- Command: `mvn -Psoak verify -DskipTests -Dsoak.duration=3m`"), md);
        assertTrue(md.contains("- Duration: 3m asked, 180 s measured (warm-up 45s left out of the trends)"), md);
        assertTrue(md.contains("- Machine: 2 CPUs (Test CPU), 3.8 GiB, Linux 6 amd64; openjdk 17"), md);
        assertTrue(md.contains("| heap after GC shows no growth trend | pass | 5 samples |"), md);
        assertTrue(md.contains("| echo (binary) | 1000 | 0 | 16 connections \\| depth 4 |"), "pipes escaped: " + md);
        assertTrue(md.contains("| garbage | 10 | 1 | 1 x nothing, then RESET; 9 x unknown_protocol, then EOF |"), md);
        assertTrue(md.contains("- garbage: garbage #3: nothing, then RESET"), md);
        assertTrue(md.contains("| idle, before | 20.0 | 80.0 | 41 | 1 | 40 | 0.1 | 0.3 |"), md);
        assertTrue(md.contains("| 30 (warm-up) | 30.0 |"), md);
        assertTrue(md.contains("| 60 | 30.0 |"), md);
        assertTrue(md.contains("| idle, after | 21.0 | 95.0 | 42 | 1 | 41 | 0.2 | 40.0 |"), md);
        assertTrue(md.contains("- closes: client_closed 700, reset 300\n"), md);
        assertTrue(md.contains("- errors: malformed 12\n"), md);
        assertTrue(md.contains("- server log: 2 WARN, 0 ERROR line(s); exit code 0 after SIGTERM"), md);
    }

    @Test
    void failedCheckOrBrokenRunSaysFailed() {
        String md = SoakReport.markdown(outcome(List.of(new Check("event-loop lag stays under its bounds", false,
                "p99 300 ms")), null));
        assertTrue(md.startsWith("# Courier soak results\n\n**FAILED**: 0 of 1 checks passed"), md);
        assertTrue(md.contains("| event-loop lag stays under its bounds | **FAIL** | p99 300 ms |"), md);

        String broken = SoakReport.markdown(outcome(List.of(new Check("x", true, "")), "the server exited"));
        assertTrue(broken.startsWith("# Courier soak results\n\n**FAILED**"), broken);
        assertTrue(broken.contains("**The run broke off:** the server exited"), broken);
    }

    @Test
    void missingSamplesAndStatsAreShownAsMissing() {
        SoakOutcome o = outcome(List.of(), null);
        SoakOutcome empty = new SoakOutcome(o.config(), null, o.started(), 0, o.serverCommand(), List.of(), List.of(),
                0, List.of(), null, null, List.of(), List.of(), List.of(), null, 1, 0, 1, List.of(), "could not start");
        String md = SoakReport.markdown(empty);
        assertTrue(md.contains("| idle, before | (not taken) |"), md);
        assertTrue(md.contains("(no final stats reply)"), md);
        assertEquals(false, empty.passed());
    }

}
