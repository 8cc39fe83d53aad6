package io.courier.bench;

import io.courier.harness.MachineInfo;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How the wire scenarios appear in the report: ratios to the best of Redis and NATS, missing servers named. */
class WireReportingTest {
    private final BenchConfig config = BenchConfig.from(Map.of("scenarios", "fanout-50,ping-64x1",
            "servers", "courier,netty,redis,nats"));
    private final MachineInfo machine = new MachineInfo(2, "test CPU", "1 GiB", "Linux", "17");

    private static Measurement run(Scenario scenario, ServerKind server, double throughput, double p99) {
        return new Measurement(scenario, server, 1, Map.of(Metric.THROUGHPUT.key(), throughput, Metric.P99.key(), p99),
                0, null, "raw/x.json");
    }

    @Test
    void courierIsComparedWithTheBetterOfRedisAndNatsMetricByMetric() {
        List<Measurement> runs = new ArrayList<>(List.of(
                run(Scenario.WIRE_FANOUT_50, ServerKind.COURIER, 100_000, 2000),
                run(Scenario.WIRE_FANOUT_50, ServerKind.REDIS, 400_000, 1000),
                run(Scenario.WIRE_FANOUT_50, ServerKind.NATS, 200_000, 500)));
        Results results = new Results(config, machine, 0, "not used", runs, "then", null);

        String table = MarkdownReport.table(Scenario.WIRE_FANOUT_50, results, config.servers(),
                List.of(Metric.THROUGHPUT, Metric.P99));

        assertEquals(String.join("\n",
                "| metric | courier | redis | nats | courier/redis | courier/nats | courier/best of redis,nats |",
                "|---|---:|---:|---:|---:|---:|---:|",
                "| throughput (msg/s) ↑ | 100,000 | 400,000 | 200,000 | 0.25× | 0.50× | 0.25× |",
                "| p99 (µs) ↓ | 2,000 | 1,000 | 500 | 2.00× | 4.00× | 4.00× |", ""), table);
    }

    @Test
    void aServerThatIsNotInstalledIsReportedAsMissingAndAScenarioItCannotRunAsNotApplicable() {
        List<Measurement> runs = List.of(run(Scenario.WIRE_FANOUT_50, ServerKind.COURIER, 100_000, 2000),
                run(Scenario.WIRE_FANOUT_50, ServerKind.REDIS, 400_000, 1000),
                new Measurement(Scenario.WIRE_FANOUT_50, ServerKind.NATS, 1, Map.of(), -1,
                        "missing: nats-server is not installed (apt-get install nats-server); not measured", null));

        String md = MarkdownReport.render(new Results(config, machine, 0, "not used", runs, "then", null));

        assertTrue(md.contains("**Missing servers** (not installed here, so not measured): nats (apt-get install "
                + "nats-server)"), md);
        assertTrue(md.contains("nats, round 1: missing: nats-server is not installed"), md);
        assertTrue(md.contains("Not applicable to netty (no rooms or topics)."), md);
    }

    @Test
    void theFixedRateIsHalfTheSlowestCleanFanoutOfTheFirstRound() {
        List<Measurement> runs = List.of(run(Scenario.WIRE_FANOUT_50, ServerKind.COURIER, 100_000, 1),
                run(Scenario.WIRE_FANOUT_50, ServerKind.REDIS, 400_000, 1),
                new Measurement(Scenario.WIRE_FANOUT_50, ServerKind.NATS, 1, Map.of(Metric.THROUGHPUT.key(), 50.0),
                        1, null, "raw/y.json")); // lost messages: not clean, not counted

        assertEquals(100_000, BenchmarkSuite.slowestFanout(runs));
    }

    @Test
    void eachServerGetsTheProtocolItSpeaksAndOnlyTheScenariosItCanRun() {
        assertEquals("courier", ServerKind.NETTY.wireProtocol());
        assertEquals("redis", ServerKind.REDIS.wireProtocol());
        assertTrue(Scenario.WIRE_PING_SINGLE.appliesTo(ServerKind.BLOCKING));
        assertTrue(!Scenario.WIRE_FANOUT_1K.appliesTo(ServerKind.NETTY));
        assertTrue(!Scenario.ECHO_SMALL.appliesTo(ServerKind.NATS));
        assertTrue(Scenario.WIRE_FANOUT_RATE.clientArguments(config, 10_000).containsAll(List.of("--rate", "200.0")));
    }
}
