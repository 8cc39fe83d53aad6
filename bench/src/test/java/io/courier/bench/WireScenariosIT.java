package io.courier.bench;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every wire scenario, briefly, against every server it applies to, as the suite runs it: the server in its own
 * process (Redis and NATS from the OS packages), the neutral client in another, every reply and delivery checked.
 * A server that is not installed is reported as missing through a failed assumption (skipped, with the reason),
 * never passed silently.
 */
class WireScenariosIT {
    @TempDir
    Path dir;

    static List<Arguments> pairs() {
        List<Arguments> pairs = new ArrayList<>();
        for (Scenario scenario : Scenario.values()) {
            for (ServerKind server : ServerKind.values()) {
                if (scenario.wire() && scenario.appliesTo(server)) {
                    pairs.add(Arguments.of(scenario, server));
                }
            }
        }
        return pairs;
    }

    @ParameterizedTest(name = "{0} against {1}")
    @MethodSource("pairs")
    void eachScenarioRunsCleanAgainstEachInstalledServer(Scenario scenario, ServerKind server) throws Exception {
        assumeTrue(NativeServer.missing(server).isEmpty(), () -> server.label() + " "
                + NativeServer.missing(server).orElse(""));
        BenchConfig config = BenchConfig.from(Map.of("pin", "false", "duration", "1s", "warmup", "500ms",
                "jvm", "-Xmx256m -XX:+UseSerialGC", "client.jvm", "-Xmx256m -XX:+UseSerialGC",
                "out", dir.toString(), "jar", "target/bench.jar", "server-jar", "../server/target/server.jar"));

        Measurement run = new WireScenarioRunner(config).run(scenario, server, 1, 5000);

        assertNull(run.problem(), () -> run.problem());
        assertEquals(0, run.clientExit(), "client exit code; see " + dir.resolve("logs"));
        assertEquals(0.0, run.value(Metric.ERRORS));
        assertTrue(run.value(Metric.THROUGHPUT) > 0, () -> "throughput " + run.value(Metric.THROUGHPUT));
        assertTrue(run.value(Metric.SERVER_CPU) >= 0, () -> "server CPU " + run.value(Metric.SERVER_CPU));
        if (scenario == Scenario.WIRE_FANOUT_RATE) { // about the rate asked for: 5,000 deliveries/s
            double throughput = run.value(Metric.THROUGHPUT);
            assertTrue(throughput > 2500 && throughput < 7500, () -> "deliveries/s " + throughput);
        }
    }
}
