package io.courier.bench;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScenarioTest {
    private final BenchConfig config = BenchConfig.from(Map.of("duration", "3s", "warmup", "1s", "held", "1000",
            "held.duration", "15s", "client.extra.rate-1k", "--threads 1"));

    @Test
    void echoScenariosPipelineOnSixtyFourConnections() {
        List<String> args = Scenario.ECHO_SMALL.clientArguments(config, 0);

        assertEquals(List.of("--type", "echo", "--framing", "binary", "--connections", "64", "--depth", "16",
                "--header-bytes", "100", "--body-bytes", "0", "--duration", "3s", "--warmup", "1s"), args);
        assertTrue(String.join(" ", Scenario.ECHO_16K.clientArguments(config, 0)).contains("--body-bytes 16384"));
    }

    @Test
    void theRateScenarioUsesTheGivenRateAndItsExtraOptions() {
        String args = String.join(" ", Scenario.RATE_1K.clientArguments(config, 12345));

        assertTrue(args.contains("--connections 1000 --rate 12345"), args);
        assertTrue(args.endsWith("--threads 1"), args);
    }

    @Test
    void theTlsEchoIsTheEchoInsideTlsTrustingTheRunsCertificate() {
        List<String> tls = Scenario.TLS_ECHO_SMALL.clientArguments(config, 0);
        String ca = TlsFiles.in(config.outDir()).certificate().toString();

        assertEquals(List.of("--tls", "--tls-ca", ca), tls.subList(tls.indexOf("--tls"), tls.indexOf("--tls") + 3));
        List<String> plain = new java.util.ArrayList<>(tls);
        plain.removeAll(List.of("--tls", "--tls-ca", ca));
        assertEquals(Scenario.ECHO_SMALL.clientArguments(config, 0), plain);
        assertTrue(Scenario.TLS_ECHO_SMALL.tls() && Scenario.TLS_HANDSHAKES.tls() && !Scenario.ECHO_SMALL.tls());
        assertEquals(List.of("--connections", "16", "--tls-ca", ca, "--duration", "3s", "--warmup", "1s"),
                Scenario.TLS_HANDSHAKES.clientArguments(config, 0));
        assertEquals(Scenario.TLS_HANDSHAKES, Scenario.fromLabel("tls-handshakes"));
    }

    @Test
    void theHeldScenarioHoldsAndPings() {
        String args = String.join(" ", Scenario.HELD_10K.clientArguments(config, 0));

        assertTrue(args.contains("--type ping"), args);
        assertTrue(args.contains("--hold 1000 --ping-interval 1s"), args);
        assertTrue(args.endsWith("--duration 15s --warmup 0"), args);
    }

    @Test
    void labelsAndEnumNamesBothSelectAScenario() {
        assertEquals(Scenario.HELD_10K, Scenario.fromLabel("held-10k"));
        assertEquals(Scenario.ECHO_16K, Scenario.fromLabel("ECHO_16K"));
        assertEquals(ServerKind.NETTY, ServerKind.fromLabel(" Netty "));
    }
}
