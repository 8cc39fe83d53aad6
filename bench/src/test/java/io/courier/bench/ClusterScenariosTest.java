package io.courier.bench;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cluster scenarios' shapes: what the client is told, how many instances, which server options. */
class ClusterScenariosTest {
    private final BenchConfig config = BenchConfig.from(Map.of("duration", "5s", "warmup", "2s"));

    @Test
    void theFanOutScenariosRunTheSameFanOut() {
        List<String> one = Scenario.FANOUT_ONE.clientArguments(config, 0);
        assertEquals(one, Scenario.FANOUT_CLUSTER.clientArguments(config, 0), "only the placement differs");
        assertEquals(List.of("--fanout-members", "100", "--publishers", "2", "--depth", "16", "--text-bytes", "100",
                "--room", "bench", "--duration", "5s", "--warmup", "2s"), one);
    }

    @Test
    void theReusePortScenariosRunEcho100b() {
        assertEquals(Scenario.ECHO_SMALL.clientArguments(config, 0),
                Scenario.ECHO_TWO_PROCESSES.clientArguments(config, 0));
        assertEquals(Scenario.ECHO_SMALL.clientArguments(config, 0),
                Scenario.ECHO_ONE_PROCESS.clientArguments(config, 0));
    }

    @Test
    void onlyTheNewScenariosTakeTheMultiProcessPathWithTheirInstanceCounts() {
        for (Scenario scenario : List.of(Scenario.ECHO_SMALL, Scenario.ECHO_16K, Scenario.RATE_1K,
                Scenario.HELD_10K)) {
            assertFalse(ClusterScenarioRunner.handles(scenario), scenario.label());
        }
        assertEquals(1, ClusterScenarioRunner.instances(Scenario.FANOUT_ONE));
        assertEquals(2, ClusterScenarioRunner.instances(Scenario.FANOUT_CLUSTER));
        assertEquals(1, ClusterScenarioRunner.instances(Scenario.ECHO_ONE_PROCESS));
        assertEquals(2, ClusterScenarioRunner.instances(Scenario.ECHO_TWO_PROCESSES));
    }

    @Test
    void bothReusePortScenariosListenOnOneSharedPortWithReusePort() throws IOException {
        for (Scenario scenario : List.of(Scenario.ECHO_ONE_PROCESS, Scenario.ECHO_TWO_PROCESSES)) {
            List<String> options = ClusterScenarioRunner.serverOptions(scenario, null);
            assertEquals("--listen", options.get(0));
            assertTrue(options.get(1).matches("127\\.0\\.0\\.1:\\d+,reuse-port=true"), options.toString());
        }
        assertEquals(List.of(), ClusterScenarioRunner.serverOptions(Scenario.FANOUT_ONE, null));
    }

    @Test
    void theNewLabelsSelectTheirScenarios() {
        assertEquals(Scenario.FANOUT_CLUSTER, Scenario.fromLabel("fanout-2x-redis"));
        assertEquals(Scenario.ECHO_TWO_PROCESSES, Scenario.fromLabel("echo-2p-reuseport"));
        IllegalArgumentException wrong = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> Scenario.fromLabel("nope"));
        assertTrue(wrong.getMessage().contains("fanout-1x"), wrong.getMessage());
    }
}
