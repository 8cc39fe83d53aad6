package io.courier.bench;

import io.courier.protocol.units.Quantities;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The benchmark scenarios and the load-test client options each one runs with. Every run also gets
 * {@code --host --port --json}; the suite adds those.
 */
public enum Scenario {
    /** (a) Small echo requests, many connections, pipelined: peak message throughput. */
    ECHO_SMALL("echo-100b", Kind.THROUGHPUT, "echo, ~100-byte header, no body, 64 connections x depth 16"),
    /** (b) Echo with 16 KiB bodies: bulk bytes through the server. */
    ECHO_16K("echo-16k", Kind.THROUGHPUT, "echo, ~100-byte header, 16 KiB body, 64 connections x depth 4"),
    /** (c) Many connections at a fixed request rate: latency percentiles, measured from the intended send time. */
    RATE_1K("rate-1k", Kind.LATENCY, "echo, ~100-byte header, 1,000 connections at a fixed total rate"),
    /** (d) Many idle connections held open, each pinging now and then: memory per connection. */
    HELD_10K("held-10k", Kind.MEMORY, "N connections held open, each pinging once a second; memory per connection"),
    /** Room fan-out on one Courier, no cluster: the baseline of {@link #FANOUT_CLUSTER}. Courier only. */
    FANOUT_ONE("fanout-1x", Kind.THROUGHPUT, "room fan-out, one Courier, no cluster: 100 members, 2 publishers, "
            + "closed loop (16 messages per publisher on their way), 100-byte texts; throughput = deliveries/s"),
    /** The same fan-out across two Courier instances sharing one Redis: publishers on 1, members on 2. */
    FANOUT_CLUSTER("fanout-2x-redis", Kind.THROUGHPUT, "the fan-out of fanout-1x across two Courier instances "
            + "sharing one Redis (--cluster): publishers on instance 1, every member on instance 2; both "
            + "instances and Redis share the server CPUs"),
    /** echo-100b against one Courier process on a reuse-port listener: the baseline of the next. Courier only. */
    ECHO_ONE_PROCESS("echo-1p-reuseport", Kind.THROUGHPUT, "echo-100b against one Courier process on a "
            + "reuse-port=true listener"),
    /** echo-100b against two Courier processes sharing one port (reuse-port=true): the kernel spreads connections. */
    ECHO_TWO_PROCESSES("echo-2p-reuseport", Kind.THROUGHPUT, "echo-100b against two Courier processes sharing "
            + "one port with reuse-port=true, both on the server CPUs; total throughput"),

    // Against Redis and NATS: the neutral client (io.courier.bench.wire) speaks each server's own protocol.
    /** Ping and its answer in each server's protocol, pipelined. */
    WIRE_PING_PIPELINED("ping-64x16", Kind.THROUGHPUT,
            "ping (Courier ping, Redis PING, NATS PING/PONG), 64 connections x 16 in flight, each server's protocol"),
    /** The same, one in flight: round-trip latency. */
    WIRE_PING_SINGLE("ping-64x1", Kind.THROUGHPUT,
            "ping (Courier ping, Redis PING, NATS PING/PONG), 64 connections x 1 in flight, each server's protocol"),
    /** One publisher, 50 members; as fast as the members keep up. */
    WIRE_FANOUT_50("fanout-50", Kind.THROUGHPUT,
            "1 publisher -> 50 members (Courier room, Redis channel, NATS subject), 100-byte payloads, at most 1,024 "
                    + "messages undelivered; throughput = deliveries/s"),
    /** One publisher, 1,000 members. */
    WIRE_FANOUT_1K("fanout-1k", Kind.THROUGHPUT,
            "1 publisher -> 1,000 members, 100-byte payloads, at most 64 messages undelivered; throughput = "
                    + "deliveries/s"),
    /** 16 KiB payloads echoed back to their sender. */
    WIRE_BODY_16K("body-16k", Kind.THROUGHPUT,
            "16 KiB payload echoed to its sender (Courier echo with a binary body, Redis ECHO, NATS PUB to a subject "
                    + "the same connection subscribes to), 64 connections x 4 in flight"),
    /** Fan-out to 50 members at a fixed rate: delivery latency from the intended publish time. */
    WIRE_FANOUT_RATE("fanout-rate-50", Kind.LATENCY,
            "1 publisher -> 50 members at a fixed rate (half the slowest server's fanout-50), 100-byte payloads; "
                    + "latency from the intended publish time"),
    /** (e) echo-100b inside TLS: what encryption costs per message, beside the plaintext run. */
    TLS_ECHO_SMALL("tls-echo-100b", Kind.THROUGHPUT,
            "echo-100b inside TLS (the server's choice of TLS 1.3 suite), 64 connections x depth 16"),
    /**
     * (f) New TLS connections: connect, full handshake (no session resumption), one ping, close; throughput is
     * handshakes per second. Run by {@link HandshakeClient}, not the load tool.
     */
    TLS_HANDSHAKES("tls-handshakes", Kind.THROUGHPUT,
            "new TLS connections: connect, full handshake, one ping, close; 16 at a time (throughput = handshakes/s)");

    /** What a scenario measures, which decides its metrics. */
    public enum Kind { THROUGHPUT, LATENCY, MEMORY }

    private final String label;
    private final Kind kind;
    private final String description;

    Scenario(String label, Kind kind, String description) {
        this.label = label;
        this.kind = kind;
        this.description = description;
    }

    public String label() {
        return label;
    }

    public Kind kind() {
        return kind;
    }

    public String description() {
        return description;
    }

    /**
     * The name for what this scenario really ran: {@code held-10k} holds {@code bench.held} connections, so with
     * {@code bench.held=1000} it is {@code held-1k}. The others run fixed shapes and keep their label.
     */
    public String label(BenchConfig config) {
        return this == HELD_10K ? "held-" + count(config.heldConnections()) : label;
    }

    /** The description with the connection count filled in. */
    public String description(BenchConfig config) {
        return this == HELD_10K ? description.replace("N connections", String.format(java.util.Locale.ROOT,
                "%,d connections", config.heldConnections())) : description;
    }

    /** Whether the scenario runs against the servers' TLS listeners (and needs the run's {@link TlsFiles}). */
    public boolean tls() {
        return this == TLS_ECHO_SMALL || this == TLS_HANDSHAKES;
    }

    /** 10000 -> 10k, 1500 -> 1.5k, 500 -> 500. */
    static String count(int n) {
        if (n >= 1000 && n % 100 == 0) {
            return n % 1000 == 0 ? n / 1000 + "k" : (n / 100) / 10.0 + "k";
        }
        return Integer.toString(n);
    }

    /** Client options for this scenario (without host, port and the JSON file). */
    public List<String> clientArguments(BenchConfig config, long rate) {
        List<String> args = new ArrayList<>();
        switch (this) {
            case ECHO_SMALL:
                add(args, "--type", "echo", "--framing", "binary", "--connections", "64", "--depth", "16",
                        "--header-bytes", "100", "--body-bytes", "0");
                timing(args, config.duration(), config.warmup());
                break;
            case FANOUT_ONE, FANOUT_CLUSTER:
                // The targets (which instance the members and publishers use) are added by ClusterScenarioRunner.
                add(args, "--fanout-members", "100", "--publishers", "2", "--depth", "16", "--text-bytes", "100",
                        "--room", "bench");
                timing(args, config.duration(), config.warmup());
                break;
            case ECHO_ONE_PROCESS, ECHO_TWO_PROCESSES:
                add(args, "--type", "echo", "--framing", "binary", "--connections", "64", "--depth", "16",
                        "--header-bytes", "100", "--body-bytes", "0");
                timing(args, config.duration(), config.warmup());
                break;
            case ECHO_16K:
                add(args, "--type", "echo", "--framing", "binary", "--connections", "64", "--depth", "4",
                        "--header-bytes", "100", "--body-bytes", "16384");
                timing(args, config.duration(), config.warmup());
                break;
            case RATE_1K:
                add(args, "--type", "echo", "--framing", "binary", "--connections", "1000",
                        "--rate", Long.toString(rate), "--header-bytes", "100", "--body-bytes", "0",
                        "--ramp-up", Quantities.format(config.rampUp()));
                timing(args, config.duration(), config.warmup());
                break;
            case HELD_10K:
                add(args, "--type", "ping", "--framing", "binary", "--hold", Integer.toString(config.heldConnections()),
                        "--ping-interval", "1s", "--ramp-up", Quantities.format(config.heldRampUp()));
                timing(args, config.heldDuration(), Duration.ZERO);
                break;
            case TLS_ECHO_SMALL:
                add(args, "--type", "echo", "--framing", "binary", "--connections", "64", "--depth", "16",
                        "--header-bytes", "100", "--body-bytes", "0",
                        "--tls", "--tls-ca", TlsFiles.in(config.outDir()).certificate().toString());
                timing(args, config.duration(), config.warmup());
                break;
            case TLS_HANDSHAKES:
                add(args, "--connections", "16", "--tls-ca", TlsFiles.in(config.outDir()).certificate().toString());
                timing(args, config.duration(), config.warmup());
                break;
            case WIRE_PING_PIPELINED: case WIRE_PING_SINGLE: case WIRE_FANOUT_50: case WIRE_FANOUT_1K:
            case WIRE_BODY_16K: case WIRE_FANOUT_RATE:
                args.addAll(WireScenarios.arguments(this, config, rate));
                break;
            default:
                throw new AssertionError(this);
        }
        args.addAll(config.extraClientArguments(this));
        return args;
    }

    private static void timing(List<String> args, Duration duration, Duration warmup) {
        add(args, "--duration", Quantities.format(duration), "--warmup", Quantities.format(warmup));
    }

    private static void add(List<String> args, String... more) {
        args.addAll(List.of(more));
    }

    /** Whether the neutral wire client runs this scenario (rather than the load-test client). */
    public boolean wire() {
        return WireScenarios.isWire(this);
    }

    /**
     * Whether {@code server} can run this scenario (Netty and blocking peers have no rooms; Redis, NATS no echo; TLS:
     * Courier and the Netty peer only).
     */
    public boolean appliesTo(ServerKind server) {
        if (tls()) {
            return server.speaksTls();
        }
        return WireScenarios.appliesTo(this, server);
    }

    /** The scenario for a label ({@code echo-100b}, ...) or enum name, case-insensitively. */
    public static Scenario fromLabel(String label) {
        String wanted = label.trim();
        for (Scenario scenario : values()) {
            if (scenario.label.equalsIgnoreCase(wanted) || scenario.name().equalsIgnoreCase(wanted)) {
                return scenario;
            }
        }
        throw new IllegalArgumentException("unknown scenario '" + label + "'; choose from "
                + String.join(", ", java.util.Arrays.stream(values()).map(Scenario::label).toList()));
    }
}
