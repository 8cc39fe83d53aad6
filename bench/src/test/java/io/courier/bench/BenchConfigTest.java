package io.courier.bench;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchConfigTest {
    @Test
    void defaultsRunEverythingThreeTimes() {
        BenchConfig config = BenchConfig.from(Map.of());

        assertEquals(3, config.rounds());
        assertEquals(Duration.ofSeconds(10), config.duration());
        // The multi-process scenarios (fanout-1x, fanout-2x-redis, echo-*-reuseport) are chosen by name only.
        assertEquals(List.of(Scenario.ECHO_SMALL, Scenario.ECHO_16K, Scenario.RATE_1K, Scenario.HELD_10K,
                Scenario.WIRE_PING_PIPELINED, Scenario.WIRE_PING_SINGLE, Scenario.WIRE_FANOUT_50,
                Scenario.WIRE_FANOUT_1K, Scenario.WIRE_BODY_16K, Scenario.WIRE_FANOUT_RATE), config.scenarios());
        assertEquals(List.of(ServerKind.COURIER, ServerKind.NETTY, ServerKind.BLOCKING, ServerKind.REDIS,
                ServerKind.NATS), config.servers());
        assertEquals(0, config.rate());
        assertEquals(10_000, config.heldConnections());
        assertTrue(config.serverJvm().contains("-Xmx1g"));
    }

    @Test
    void systemPropertiesAreReadAndArgumentsWin() {
        Properties properties = new Properties();
        properties.setProperty("bench.rounds", "1");
        properties.setProperty("bench.duration", "3s");
        properties.setProperty("bench.servers", "netty, courier");
        properties.setProperty("bench.rate", "");
        properties.setProperty("unrelated", "x");

        BenchConfig config = BenchConfig.from(properties,
                new String[] {"--duration", "5s", "--scenarios=rate-1k,echo-100b", "held=500"});

        assertEquals(1, config.rounds());
        assertEquals(Duration.ofSeconds(5), config.duration());
        assertEquals(List.of(ServerKind.NETTY, ServerKind.COURIER), config.servers());
        assertEquals(List.of(Scenario.RATE_1K, Scenario.ECHO_SMALL), config.scenarios());
        assertEquals(0, config.rate(), "a blank value means the default");
        assertEquals(500, config.heldConnections());
    }

    @Test
    void durationsReadAsTheServerReadsThemAndABareNumberIsRefused() {
        assertEquals(Duration.ofMillis(1500), BenchConfig.from(Map.of("duration", "1.5s")).duration());
        assertEquals(Duration.ZERO, BenchConfig.from(Map.of("warmup", "0")).warmup());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BenchConfig.from(Map.of("duration", "7")));
        assertTrue(e.getMessage().contains("bench.duration") && e.getMessage().contains("7s"), e.getMessage());
    }

    @Test
    void courierRunsFromServerJarAndThePeersFromTheBenchJarEachWithAPortFile() {
        BenchConfig config = BenchConfig.from(Map.of("pin", "false", "jar", "b.jar", "server-jar", "s.jar"));
        Path portFile = Path.of("/tmp/p.port");

        List<String> courier = ServerKind.COURIER.command(config, portFile);
        List<String> netty = ServerKind.NETTY.command(config, portFile);

        assertEquals(List.of("-jar", "s.jar", "--port", "0", "--port-file", "/tmp/p.port", "--log-level", "warn"),
                courier.subList(courier.indexOf("-jar"), courier.size()));
        assertEquals(List.of("-cp", "b.jar", "io.courier.bench.peer.NettyPeerServer", "--port", "0", "--port-file",
                "/tmp/p.port"), netty.subList(netty.indexOf("-cp"), netty.size()));
    }

    @Test
    void unknownNamesAreRefusedWithTheChoices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BenchConfig.from(Map.of("servers", "courier,jetty")));
        assertTrue(e.getMessage().contains("courier, netty, blocking"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BenchConfig.from(Map.of("scenarios", "echo")));
        assertThrows(IllegalArgumentException.class, () -> BenchConfig.from(Map.of("rounds", "0")));
    }

    @Test
    void theClientCommandIsConfigurableAndPinnedWhenAsked() {
        BenchConfig config = BenchConfig.from(Map.of("client", "java -cp stand-in Client", "pin", "true",
                "client.cpus", "1", "jar", "x.jar"));

        List<String> command = ClientProcess.command(config, 4242, List.of("--type", "ping"),
                Path.of("/tmp/r.json"));

        assertEquals(List.of("taskset", "-c", "1", "java", "-cp", "stand-in", "Client", "--host", "127.0.0.1",
                "--port", "4242", "--type", "ping", "--json", "/tmp/r.json"), command);
    }

    @Test
    void theDefaultClientIsTheLoadTestJar() {
        BenchConfig config = BenchConfig.from(Map.of("pin", "false", "client-jar", "lt.jar", "java", "/jdk/bin/java",
                "client.jvm", "-Xmx2g"));

        assertEquals(List.of("/jdk/bin/java", "-Xmx2g", "-jar", "lt.jar"), config.clientLauncher());
        assertFalse(config.pin());
        assertEquals(List.of(), config.pinning("0"));
    }
}
