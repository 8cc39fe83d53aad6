package io.courier.loadtest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.courier.protocol.Framing;
import io.courier.protocol.Json;
import io.courier.protocol.Limits;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Everything a run needs, validated: built by {@link LoadTestMain} from the command line, or directly by tests.
 * The mode follows from the options: {@code newConnections} is connect mode, {@code fanoutMembers > 0} fan-out,
 * {@code hold > 0} hold mode, {@code rate > 0} an open loop, otherwise a closed loop.
 */
public final class LoadOptions {
    private final List<Target> targets;
    private final int threads;
    private final int connections;
    private final int depth;
    private final double rate;
    private final int hold;
    private final Duration pingInterval;
    private final String type;
    private final ObjectNode headerTemplate;
    private final int headerBytes;
    private final int bodyBytes;
    private final Framing framing;
    private final Duration duration;
    private final Duration warmup;
    private final long requests;
    private final Duration rampUp;
    private final Duration grace;
    private final Duration connectTimeout;
    private final List<InetAddress> sourceAddresses;
    private final Path jsonFile;
    private final Path hgrmFile;
    private final Path csvFile;
    private final Path htmlFile;
    private final boolean progress;
    private final boolean tls;
    private final Path tlsCa;
    private final boolean insecure;
    private final ClientTls clientTls;
    private final int fanoutMembers;
    private final int publishers;
    private final String room;
    private final int textBytes;
    private final Target publisherTarget;
    private final boolean newConnections;

    private LoadOptions(Builder b) {
        targets = b.targets.isEmpty() ? List.of(new Target(b.host, b.port)) : List.copyOf(b.targets);
        threads = b.threads;
        connections = b.hold > 0 ? b.hold : b.connections;
        depth = b.depth;
        rate = b.rate;
        hold = b.hold;
        pingInterval = b.pingInterval;
        type = b.hold > 0 ? "ping" : b.type;
        headerTemplate = b.headerTemplate.deepCopy();
        headerBytes = b.headerBytes;
        bodyBytes = b.bodyBytes;
        framing = b.framing;
        duration = b.duration;
        warmup = b.warmup;
        requests = b.requests;
        rampUp = b.rampUp;
        grace = b.grace;
        connectTimeout = b.connectTimeout;
        sourceAddresses = List.copyOf(b.sourceAddresses);
        jsonFile = b.jsonFile;
        hgrmFile = b.hgrmFile;
        csvFile = b.csvFile;
        htmlFile = b.htmlFile;
        progress = b.progress;
        tls = b.tls;
        tlsCa = b.tlsCa;
        insecure = b.insecure;
        fanoutMembers = b.fanoutMembers;
        publishers = b.publishers;
        room = b.room;
        textBytes = b.textBytes;
        publisherTarget = b.publisherTarget;
        newConnections = b.newConnections;
        clientTls = tls ? ClientTls.create(tlsCa, insecure) : null; // reads --tls-ca now: a bad file is exit 2
    }

    public static Builder builder() {
        return new Builder();
    }

    public Mode mode() {
        return newConnections ? Mode.CONNECT : fanoutMembers > 0 ? Mode.FANOUT
                : hold > 0 ? Mode.HOLD : rate > 0 ? Mode.OPEN : Mode.CLOSED;
    }

    /** Where the connections go, round-robin by connection index; at least one. */
    public List<Target> targets() { return targets; }
    public int threads() { return threads; }
    /** Connections to open; in hold mode, the number to hold. */
    public int connections() { return connections; }
    public int depth() { return depth; }
    /** Requests per second in total (open loop); 0 in a closed loop. */
    public double rate() { return rate; }
    public int hold() { return hold; }
    public Duration pingInterval() { return pingInterval; }
    /** The request type; {@code ping} in hold mode. */
    public String type() { return type; }
    public ObjectNode headerTemplate() { return headerTemplate.deepCopy(); }
    public int headerBytes() { return headerBytes; }
    public int bodyBytes() { return bodyBytes; }
    public Framing framing() { return framing; }
    /** The measured period; with {@link #requests()}, the time limit of the measured period. */
    public Duration duration() { return duration; }
    public Duration warmup() { return warmup; }
    /** A fixed number of measured requests, or 0 to run for {@link #duration()}. */
    public long requests() { return requests; }
    public Duration rampUp() { return rampUp; }
    /** How long to wait for the replies still due after sending stops. */
    public Duration grace() { return grace; }
    public Duration connectTimeout() { return connectTimeout; }
    public List<InetAddress> sourceAddresses() { return sourceAddresses; }
    public Path jsonFile() { return jsonFile; }
    public Path hgrmFile() { return hgrmFile; }
    public Path csvFile() { return csvFile; }
    public Path htmlFile() { return htmlFile; }
    /** Whether to print a progress line each second. */
    public boolean progress() { return progress; }

    /** Whether the connections speak TLS. */
    public boolean tls() { return tls; }
    /** The CA certificate(s) the server's certificate must chain to, or null for the JDK's trusted CAs. */
    public Path tlsCa() { return tlsCa; }
    /** Any server certificate is accepted (self-signed test setups). */
    public boolean insecure() { return insecure; }

    /** Fan-out: the members joining the room, round-robin over {@link #targets()}; 0 = not fan-out mode. */
    public int fanoutMembers() { return fanoutMembers; }
    /** Fan-out: the connections saying into the room. */
    public int publishers() { return publishers; }
    /** Fan-out: the room's name. */
    public String room() { return room; }
    /** Fan-out: each message's text is padded to this many bytes. */
    public int textBytes() { return textBytes; }
    /** Fan-out: where the publishers connect, or null for the first of {@link #targets()}. */
    public Target publisherTarget() { return publisherTarget; }
    /** Connect mode: each connection connects, pings once, closes, and the next one starts. */
    public boolean newConnections() { return newConnections; }

    /** The TLS client side, or null without --tls. */
    ClientTls clientTls() { return clientTls; }

    /** "host:port", or several joined by commas: the report's {@code target}. */
    public String target() {
        return String.join(",", targets.stream().map(Target::toString).toList());
    }

    /** Collects and validates the options; every setter's value is checked in {@link #build()}. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = 6666;
        private List<Target> targets = List.of();
        private int threads = Runtime.getRuntime().availableProcessors();
        private int connections = 64;
        private int depth = 1;
        private double rate;
        private int hold;
        private Duration pingInterval = Duration.ofSeconds(5);
        private String type = "echo";
        private ObjectNode headerTemplate = Json.NODES.objectNode();
        private int headerBytes;
        private int bodyBytes;
        private Framing framing = Framing.BINARY;
        private Duration duration = Duration.ofSeconds(10);
        private Duration warmup = Duration.ZERO;
        private long requests;
        private Duration rampUp = Duration.ZERO;
        private Duration grace = Duration.ofSeconds(5);
        private Duration connectTimeout = Duration.ofSeconds(10);
        private List<InetAddress> sourceAddresses = List.of();
        private Path jsonFile;
        private Path hgrmFile;
        private Path csvFile;
        private Path htmlFile;
        private boolean progress = true;
        private boolean tls;
        private Path tlsCa;
        private boolean insecure;
        private int fanoutMembers;
        private int publishers = 1;
        private String room = "loadtest-fanout";
        private int textBytes = 100;
        private Target publisherTarget;
        private boolean newConnections;

        private Builder() {
        }

        public Builder host(String value) { host = value; return this; }
        public Builder port(int value) { port = value; return this; }
        /** Several servers instead of {@code host}/{@code port}; empty = the one at host:port. */
        public Builder targets(List<Target> value) { targets = value; return this; }
        public Builder threads(int value) { threads = value; return this; }
        public Builder connections(int value) { connections = value; return this; }
        public Builder depth(int value) { depth = value; return this; }
        public Builder rate(double value) { rate = value; return this; }
        public Builder hold(int value) { hold = value; return this; }
        public Builder pingInterval(Duration value) { pingInterval = value; return this; }
        public Builder type(String value) { type = value; return this; }
        public Builder headerTemplate(ObjectNode value) { headerTemplate = value; return this; }
        public Builder headerBytes(int value) { headerBytes = value; return this; }
        public Builder bodyBytes(int value) { bodyBytes = value; return this; }
        public Builder framing(Framing value) { framing = value; return this; }
        public Builder duration(Duration value) { duration = value; return this; }
        public Builder warmup(Duration value) { warmup = value; return this; }
        public Builder requests(long value) { requests = value; return this; }
        public Builder rampUp(Duration value) { rampUp = value; return this; }
        public Builder grace(Duration value) { grace = value; return this; }
        public Builder connectTimeout(Duration value) { connectTimeout = value; return this; }
        public Builder sourceAddresses(List<InetAddress> value) { sourceAddresses = value; return this; }
        public Builder jsonFile(Path value) { jsonFile = value; return this; }
        public Builder hgrmFile(Path value) { hgrmFile = value; return this; }
        public Builder csvFile(Path value) { csvFile = value; return this; }
        public Builder htmlFile(Path value) { htmlFile = value; return this; }
        public Builder progress(boolean value) { progress = value; return this; }
        public Builder tls(boolean value) { tls = value; return this; }
        public Builder tlsCa(Path value) { tlsCa = value; return this; }
        public Builder insecure(boolean value) { insecure = value; return this; }
        public Builder fanoutMembers(int value) { fanoutMembers = value; return this; }
        public Builder publishers(int value) { publishers = value; return this; }
        public Builder room(String value) { room = value; return this; }
        public Builder textBytes(int value) { textBytes = value; return this; }
        public Builder publisherTarget(Target value) { publisherTarget = value; return this; }
        public Builder newConnections(boolean value) { newConnections = value; return this; }

        /** @throws IllegalArgumentException naming the option and the value when something is out of range */
        public LoadOptions build() {
            require(targets != null, "--target must be a list");
            if (targets.isEmpty()) {
                require(host != null && !host.isBlank(), "--host must not be empty");
                require(port >= 1 && port <= 65535, "--port must be 1..65535, got " + port);
            }
            require(threads >= 1 && threads <= 1024, "--threads must be 1..1024, got " + threads);
            require(hold >= 0, "--hold must be 0 or more, got " + hold);
            require(hold > 0 || connections >= 1, "--connections must be 1 or more, got " + connections);
            require(depth >= 1 && depth <= 1 << 20, "--depth must be 1..1048576, got " + depth);
            require(rate >= 0 && !Double.isNaN(rate) && !Double.isInfinite(rate),
                    "--rate must be 0 (closed loop) or a positive number, got " + rate);
            require(hold == 0 || rate == 0, "--hold pings at --ping-interval: it does not combine with --rate");
            require(hold == 0 || requests == 0, "--hold runs for --duration: it does not combine with --requests");
            require(type != null && !type.isEmpty(), "--type must not be empty");
            require(headerTemplate != null, "--header-template must be a JSON object");
            require(headerBytes >= 0 && headerBytes < Limits.DEFAULT_MAX_HEADER_BYTES,
                    "--header-bytes must be 0.." + (Limits.DEFAULT_MAX_HEADER_BYTES - 1) + ", got " + headerBytes);
            require(bodyBytes >= 0 && bodyBytes <= Limits.DEFAULT_MAX_BODY_BYTES,
                    "--body-bytes must be 0.." + Limits.DEFAULT_MAX_BODY_BYTES + ", got " + bodyBytes);
            require(framing != null, "--framing must be binary or text");
            require(requests >= 0, "--requests must be 0 or more, got " + requests);
            positive(duration, "--duration");
            positive(pingInterval, "--ping-interval");
            positive(connectTimeout, "--connect-timeout");
            notNegative(warmup, "--warmup");
            notNegative(rampUp, "--ramp-up");
            notNegative(grace, "--grace");
            require(sourceAddresses != null, "--source-addresses must be a list");
            require(tls || (tlsCa == null && !insecure), (insecure ? "--insecure" : "--tls-ca")
                    + " is about the server's TLS certificate: it needs --tls");
            require(tlsCa == null || !insecure, "--tls-ca checks the server's certificate and --insecure does not: "
                    + "give one or the other");
            checkFanoutAndConnect();
            LoadOptions options = new LoadOptions(this);
            // Throws on a template that sets reserved fields, so the message names the option here.
            new RequestFactory(options.type(), options.headerTemplate(), 0, 0, 0);
            return options;
        }

        /** Fan-out and connect mode: a thread per connection, so bounded counts; no --hold or --requests. */
        private void checkFanoutAndConnect() {
            require(fanoutMembers >= 0 && fanoutMembers <= 10_000,
                    "--fanout-members must be 0..10000 (a thread each), got " + fanoutMembers);
            require(publishers >= 1 && publishers <= 1000, "--publishers must be 1..1000, got " + publishers);
            require(room != null && !room.isBlank() && room.length() <= 64, "--room must be 1..64 characters");
            require(textBytes >= 0 && textBytes < Limits.DEFAULT_MAX_HEADER_BYTES / 2,
                    "--text-bytes must be 0.." + (Limits.DEFAULT_MAX_HEADER_BYTES / 2 - 1) + ", got " + textBytes);
            require(!newConnections || fanoutMembers == 0, "--new-connections and --fanout-members are two modes: "
                    + "give one");
            if (fanoutMembers > 0 || newConnections) {
                String mode = newConnections ? "--new-connections" : "--fanout-members";
                require(hold == 0, mode + " does not combine with --hold");
                require(requests == 0, mode + " runs for --duration: it does not combine with --requests");
            }
            require(!newConnections || rate == 0, "--new-connections connects as fast as it can: it does not "
                    + "combine with --rate");
            require(!newConnections || connections <= 1024,
                    "--new-connections: --connections (at once, a thread each) must be 1..1024, got " + connections);
            require(publisherTarget == null || fanoutMembers > 0, "--publisher-target needs --fanout-members");
        }

        private static void positive(Duration value, String option) {
            require(value != null && !value.isNegative() && !value.isZero(), option + " must be positive, got "
                    + value);
        }

        private static void notNegative(Duration value, String option) {
            require(value != null && !value.isNegative(), option + " must not be negative, got " + value);
        }

        private static void require(boolean condition, String message) {
            if (!condition) {
                throw new IllegalArgumentException(message);
            }
        }
    }
}
