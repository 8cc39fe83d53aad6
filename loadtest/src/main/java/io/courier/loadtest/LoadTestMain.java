package io.courier.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.courier.protocol.Framing;
import io.courier.protocol.Json;
import io.courier.protocol.units.Quantities;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The load-test client's command line. Exit code 0 when every request was answered correctly, 1 otherwise, 2 for
 * a wrong command line.
 */
@Command(name = "loadtest", mixinStandardHelpOptions = true, version = "Courier load test 0.1",
        sortOptions = false, usageHelpWidth = 110,
        description = {
            "Drives a Courier server (or any server speaking its protocol) with many connections from a few "
                    + "NIO selector threads, verifies every reply and reports throughput and latency.",
            "",
            "Modes: a closed loop (--connections x --depth requests in flight), an open loop (--rate requests/s, "
                    + "latency from each request's intended send time), --hold N connections pinging now and "
                    + "then, --fanout-members N (room fan-out) or --new-connections (connection churn).",
            ""},
        footer = {"",
            "Durations: 10s, 500ms, 1.5s, 2m, 1h (a unit is required; 0 is zero). Sizes: 512, 16KiB, 1MiB (a bare "
                    + "number is bytes). The server reads them the same way.",
            "Output: a progress line each second ([  3.0s] rps=... p50=...ms p99=...ms errors=N open=N held=N), "
                    + "then the report. Exit code 0 if every request was answered correctly, 1 otherwise, 2 for a "
                    + "wrong command line."})
public final class LoadTestMain implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--host", paramLabel = "HOST", defaultValue = "127.0.0.1", description = "Server address (default: ${DEFAULT-VALUE}).")
    private String host;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "6666", description = "Server port (default: ${DEFAULT-VALUE}).")
    private int port;

    @Option(names = "--target", split = ",", paramLabel = "HOST:PORT", description = "A server to load, instead "
            + "of --host/--port; repeat it (or separate with commas) for several: connections go round-robin, "
            + "each target gets an equal share, and the figures are for all of them together.")
    private List<String> targetTexts = new ArrayList<>();

    @Option(names = {"-t", "--threads"}, paramLabel = "N", description = "Selector threads, each owning a share of the connections "
            + "(default: available processors, here ${DEFAULT-VALUE}).")
    private int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = {"-c", "--connections"}, defaultValue = "64", paramLabel = "N", description = "Connections (default: "
            + "${DEFAULT-VALUE}).")
    private int connections;

    @Option(names = {"-d", "--depth"}, defaultValue = "1", paramLabel = "N", description = "Closed loop: requests in flight per "
            + "connection; the next goes out when a reply arrives (default: ${DEFAULT-VALUE}).")
    private int depth;

    @Option(names = {"-r", "--rate"}, defaultValue = "0", paramLabel = "PER_SECOND", description = "Open loop: requests per second in total, "
            + "spread evenly over connections and time; latency counts from each request's intended send time, "
            + "even when the socket was full. 0 = closed loop (default).")
    private double rate;

    @Option(names = "--hold", defaultValue = "0", paramLabel = "N", description = "Hold mode: open N connections "
            + "(over --ramp-up), keep them for --duration, each sending a ping every --ping-interval; reports held "
            + "connections, failed connects and ping latency.")
    private int hold;

    @Option(names = "--ping-interval", defaultValue = "5s", paramLabel = "DURATION", description = "Hold mode: time "
            + "between pings on a connection, jittered by +-10%% (default: ${DEFAULT-VALUE}).")
    private String pingInterval;

    @Option(names = "--fanout-members", defaultValue = "0", paramLabel = "N", description = "Fan-out mode: N "
            + "members join --room, round-robin over the --targets, and --publishers say into it, closed loop (each "
            + "publisher keeps at most --depth messages not yet delivered to every member) or at --rate publishes/s "
            + "in total. Every delivery is checked: none lost, none twice, in order per publisher. Reports "
            + "deliveries/s, publishes/s and the delivery latency from each message's send time. A thread per "
            + "connection (up to 10000).")
    private int fanoutMembers;

    @Option(names = "--publishers", defaultValue = "1", paramLabel = "P", description = "Fan-out: the connections "
            + "saying into the room (default: ${DEFAULT-VALUE}); they join it too, as p0, p1, ...")
    private int publishers;

    @Option(names = "--publisher-target", paramLabel = "HOST:PORT", description = "Fan-out: where the publishers "
            + "connect (default: the first --target), e.g. one instance of a cluster while the members are on "
            + "another.")
    private String publisherTarget;

    @Option(names = "--room", defaultValue = "loadtest-fanout", paramLabel = "NAME", description = "Fan-out: the "
            + "room (default: ${DEFAULT-VALUE}).")
    private String room;

    @Option(names = "--text-bytes", defaultValue = "100", paramLabel = "SIZE", description = "Fan-out: each "
            + "message's text (publisher, sequence number, send time) padded to SIZE bytes (default: "
            + "${DEFAULT-VALUE}).")
    private String textBytes;

    @Option(names = "--new-connections", description = "Connect mode: --connections at once, each connecting "
            + "(with --tls, the TLS handshake too), sending one ping, reading its reply and closing, then the next; "
            + "reports new connections/s and the connect-to-first-reply latency.")
    private boolean newConnections;

    @Option(names = "--type", paramLabel = "TYPE", defaultValue = "echo", description = "Request type: echo (contents verified), ping, "
            + "or any other (then only type, id and ok are checked) (default: ${DEFAULT-VALUE}).")
    private String type;

    @Option(names = "--header-template", paramLabel = "JSON", description = "A JSON object whose fields are added "
            + "to every request header, e.g. '{\"room\":\"r1\"}'. It may not set type, id, ok, error, body_base64 "
            + "or pad.")
    private String headerTemplate;

    @Option(names = "--header-bytes", defaultValue = "0", paramLabel = "SIZE", description = "Pad each request "
            + "header to about SIZE bytes with a random string field \"pad\" (default: no padding).")
    private String headerBytes;

    @Option(names = "--body-bytes", defaultValue = "0", paramLabel = "SIZE", description = "Random body of SIZE "
            + "bytes per request (16KiB, 1MiB); an echo's body is checked by length and CRC32 (default: "
            + "${DEFAULT-VALUE}).")
    private String bodyBytes;

    @Option(names = "--framing", defaultValue = "binary", paramLabel = "binary|text", description = "binary frames "
            + "or JSON text with bodies as body_base64 (default: ${DEFAULT-VALUE}).")
    private String framing;

    @Option(names = "--duration", defaultValue = "10s", paramLabel = "DURATION", description = "Measured period; "
            + "with --requests, its time limit (default: ${DEFAULT-VALUE}).")
    private String duration;

    @Option(names = "--warmup", defaultValue = "3s", paramLabel = "DURATION", description = "Load before the "
            + "measured period, verified but excluded from the figures, so that they leave out the seconds in "
            + "which the JIT compiles client and server; 0 = none, and the report warns (default: "
            + "${DEFAULT-VALUE}).")
    private String warmup;

    @Option(names = "--requests", defaultValue = "0", paramLabel = "N", description = "Send exactly N measured "
            + "requests (shared among the connections) instead of running for --duration.")
    private long requests;

    @Option(names = "--ramp-up", defaultValue = "0s", paramLabel = "DURATION", description = "Open the connections "
            + "evenly over this time (default: all at once).")
    private String rampUp;

    @Option(names = "--grace", defaultValue = "5s", paramLabel = "DURATION", description = "After sending stops, "
            + "how long to wait for replies still due; what has not come by then is lost (default: "
            + "${DEFAULT-VALUE}).")
    private String grace;

    @Option(names = "--connect-timeout", defaultValue = "10s", paramLabel = "DURATION", description = "A connect "
            + "not done within this time fails (default: ${DEFAULT-VALUE}).")
    private String connectTimeout;

    @Option(names = "--source-addresses", split = ",", paramLabel = "ADDR", description = "Bind connections "
            + "round-robin to these local addresses (e.g. 127.0.0.1,127.0.0.2) so there can be more connections "
            + "than one address has ephemeral ports. Applies to every mode.")
    private List<String> sourceAddresses = new ArrayList<>();

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the report as JSON to FILE.")
    private Path jsonFile;

    @Option(names = "--hgrm", paramLabel = "FILE", description = "Write HdrHistogram's percentile distribution of "
            + "the measured latencies to FILE, values in MICROSECONDS (name it e.g. latency-us.hgrm).")
    private Path hgrmFile;

    @Option(names = "--csv", paramLabel = "FILE", description = "Write each second of the run to FILE as CSV: "
            + "seconds, phase (warmup/measured), replies/s, p50 and p99 in ms, errors so far, connections held.")
    private Path csvFile;

    @Option(names = "--html", paramLabel = "FILE", description = "Write the report as one self-contained HTML "
            + "page (inline SVG, nothing fetched): the latency percentile curve, throughput and p99 over time.")
    private Path htmlFile;

    @Option(names = "--tls", description = "Speak TLS (1.3 or 1.2) to the server, e.g. a tls: listener; its "
            + "certificate must chain to the JDK's trusted CAs and name --host, unless --tls-ca or --insecure.")
    private boolean tls;

    @Option(names = "--tls-ca", paramLabel = "FILE", description = "With --tls: trust the CA certificate(s) of this "
            + "PEM file (a private CA, or the server's self-signed certificate) instead of the JDK's.")
    private Path tlsCa;

    @Option(names = "--insecure", description = "With --tls: accept any server certificate (throwaway test setups "
            + "only: anyone in between could read and change the traffic).")
    private boolean insecure;

    @Option(names = {"-q", "--quiet"}, description = "No progress lines (the final report is still printed).")
    private boolean quiet;

    private final PrintStream out;

    LoadTestMain(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        System.exit(execute(args, System.out, System.err));
    }

    /** Runs the command line and returns the exit code (for tests: no System.exit). */
    static int execute(String[] args, PrintStream out, PrintStream err) {
        CommandLine commandLine = new CommandLine(new LoadTestMain(out));
        commandLine.setOut(new java.io.PrintWriter(out, true));
        commandLine.setErr(new java.io.PrintWriter(err, true));
        return commandLine.execute(args);
    }

    @Override
    public Integer call() throws Exception {
        LoadOptions options;
        try {
            options = options();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        LoadRunner runner = new LoadRunner(options, out);
        CountDownLatch finished = new CountDownLatch(1);
        Thread onSignal = new Thread(() -> {
            // Ctrl-C: stop sending, let the run drain and print its report before the JVM goes.
            runner.requestStop();
            awaitQuietly(finished, options.grace().plusSeconds(5));
        }, "load-stop");
        Runtime.getRuntime().addShutdownHook(onSignal);
        try {
            Report report = runner.run();
            return report.success() ? 0 : 1;
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(onSignal);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it returns now that the report is out
            }
        }
    }

    LoadOptions options() {
        List<Target> targets = targetTexts.stream().map(Target::parse).toList();
        for (String name : targets.isEmpty() ? List.of(host) : targets.stream().map(Target::host).toList()) {
            try {
                InetAddress.getByName(name);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException((targets.isEmpty() ? "--host" : "--target")
                        + ": cannot resolve " + name);
            }
        }
        List<InetAddress> sources = new ArrayList<>();
        for (String address : sourceAddresses) {
            try {
                sources.add(InetAddress.getByName(address.trim()));
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("--source-addresses: cannot resolve " + address);
            }
        }
        return LoadOptions.builder()
                .host(host).port(port).targets(targets).threads(threads).connections(connections).depth(depth)
                .rate(rate)
                .hold(hold).pingInterval(duration("--ping-interval", pingInterval)).type(type)
                .headerTemplate(template()).headerBytes(Quantities.intSize("--header-bytes", headerBytes))
                .bodyBytes(Quantities.intSize("--body-bytes", bodyBytes)).framing(framing())
                .duration(duration("--duration", duration)).warmup(duration("--warmup", warmup))
                .requests(requests).rampUp(duration("--ramp-up", rampUp)).grace(duration("--grace", grace))
                .connectTimeout(duration("--connect-timeout", connectTimeout)).sourceAddresses(sources)
                .jsonFile(jsonFile).hgrmFile(hgrmFile).csvFile(csvFile).htmlFile(htmlFile).progress(!quiet)
                .tls(tls).tlsCa(tlsCa).insecure(insecure)
                .fanoutMembers(fanoutMembers).publishers(publishers).room(room)
                .textBytes(Quantities.intSize("--text-bytes", textBytes))
                .publisherTarget(publisherTarget == null ? null : Target.parse(publisherTarget))
                .newConnections(newConnections)
                .build();
    }

    private Framing framing() {
        switch (framing.toLowerCase(java.util.Locale.ROOT)) {
            case "binary":
                return Framing.BINARY;
            case "text":
            case "json":
                return Framing.JSON_TEXT;
            default:
                throw new IllegalArgumentException("--framing must be binary or text, got " + framing);
        }
    }

    private ObjectNode template() {
        if (headerTemplate == null) {
            return Json.NODES.objectNode();
        }
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(headerTemplate);
        } catch (Exception e) {
            throw new IllegalArgumentException("--header-template is not valid JSON: " + e.getMessage());
        }
        if (!(node instanceof ObjectNode)) {
            throw new IllegalArgumentException("--header-template must be a JSON object, got " + headerTemplate);
        }
        return (ObjectNode) node;
    }

    private static Duration duration(String option, String text) {
        return Quantities.duration(option, text);
    }

    private static void awaitQuietly(CountDownLatch latch, Duration limit) {
        try {
            latch.await(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
