package io.courier.bench;

import io.courier.protocol.units.Quantities;

import java.util.ArrayList;
import java.util.List;

/**
 * The scenarios against Redis and NATS, run by the neutral client ({@link io.courier.bench.wire.WireClient}): its
 * options for each, and which servers each applies to. Kept apart from {@link Scenario} so that enum only grows
 * by its constants.
 */
final class WireScenarios {
    /**
     * Messages at most undelivered to some member before the fan-out publisher waits: about 50,000 to 64,000
     * deliveries in flight for both member counts. With 64 messages to 50 members every server but NATS idled at
     * 55-60% of its core, waiting on the round trip, and the rounds' ratios swung from 0.6x to 1.6x; with 1,024 the
     * servers set the pace (Redis at 98% of its core).
     */
    static final int FANOUT_50_WINDOW = 1024;
    static final int FANOUT_1K_WINDOW = 64;
    static final int FANOUT_PAYLOAD = 100;
    static final int RATE_MEMBERS = 50;
    /** Used when no fanout-50 result exists to derive the fixed rate from. */
    static final long FALLBACK_DELIVERIES_PER_SECOND = 10_000;

    private WireScenarios() {
    }

    static boolean isWire(Scenario scenario) {
        switch (scenario) {
            case WIRE_PING_PIPELINED: case WIRE_PING_SINGLE: case WIRE_FANOUT_50: case WIRE_FANOUT_1K:
            case WIRE_BODY_16K: case WIRE_FANOUT_RATE:
                return true;
            default:
                return false;
        }
    }

    static boolean isFanout(Scenario scenario) {
        return scenario == Scenario.WIRE_FANOUT_50 || scenario == Scenario.WIRE_FANOUT_1K
                || scenario == Scenario.WIRE_FANOUT_RATE;
    }

    /**
     * The load-test scenarios need Courier's protocol and its echo (the JVM servers); the wire ping and 16 KiB
     * scenarios run everywhere (the Netty and blocking peers answer Courier's ping and echo); fan-out needs rooms or
     * topics: Courier, Redis, NATS.
     */
    static boolean appliesTo(Scenario scenario, ServerKind server) {
        if (ClusterScenarioRunner.handles(scenario)) {
            return server == ServerKind.COURIER; // several Courier processes: nothing to compare the peers on
        }
        if (!isWire(scenario)) {
            return !server.isNative();
        }
        if (isFanout(scenario)) {
            return server == ServerKind.COURIER || server.isNative();
        }
        return true;
    }

    /**
     * The wire client's options (without protocol, host, port and report file).
     *
     * @param deliveriesPerSecond the fixed-rate scenario's total delivery rate (members x messages/s)
     */
    static List<String> arguments(Scenario scenario, BenchConfig config, long deliveriesPerSecond) {
        List<String> args = new ArrayList<>();
        switch (scenario) {
            case WIRE_PING_PIPELINED:
                args.addAll(List.of("--traffic", "request-reply", "--connections", "64", "--depth", "16",
                        "--payload", "0"));
                break;
            case WIRE_PING_SINGLE:
                args.addAll(List.of("--traffic", "request-reply", "--connections", "64", "--depth", "1",
                        "--payload", "0"));
                break;
            case WIRE_BODY_16K:
                args.addAll(List.of("--traffic", "request-reply", "--connections", "64", "--depth", "4",
                        "--payload", "16384"));
                break;
            case WIRE_FANOUT_50:
                fanout(args, 50, FANOUT_50_WINDOW);
                break;
            case WIRE_FANOUT_1K:
                fanout(args, 1000, FANOUT_1K_WINDOW);
                break;
            case WIRE_FANOUT_RATE:
                args.addAll(List.of("--traffic", "fanout", "--members", Integer.toString(RATE_MEMBERS),
                        "--payload", Integer.toString(FANOUT_PAYLOAD), "--rate",
                        Double.toString(Math.max(1, deliveriesPerSecond) / (double) RATE_MEMBERS)));
                break;
            default:
                throw new IllegalArgumentException(scenario + " is not a wire scenario");
        }
        args.addAll(List.of("--duration", Quantities.format(config.duration()),
                "--warmup", Quantities.format(config.warmup())));
        return args;
    }

    private static void fanout(List<String> args, int members, int window) {
        args.addAll(List.of("--traffic", "fanout", "--members", Integer.toString(members), "--window",
                Integer.toString(window), "--payload", Integer.toString(FANOUT_PAYLOAD)));
    }
}
