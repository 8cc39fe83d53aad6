package io.courier.soak;

import io.courier.protocol.units.Quantities;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Every option of the soak, each a system property {@code soak.NAME} (the Maven profile passes them on). Durations
 * and sizes are written as everywhere in Courier ({@link Quantities}): {@code 500ms}, {@code 30s}, {@code 10m} (a
 * bare number other than {@code 0} is refused); {@code 512}, {@code 768KiB}, {@code 1MiB} (a bare number is bytes).
 *
 * @param duration            how long the mixed workload runs
 * @param sampleInterval      time between memory and descriptor samples (each forces a full GC in the server)
 * @param warmup              samples before this are shown but left out of the trend checks
 * @param lagInterval         time between {@code stats} polls for the event loop's lag
 * @param hostileInterval     a hostile client starts this often
 * @param hostileConcurrency  hostile clients at most at once (a start is skipped while this many run)
 * @param echoConnections     connections of the binary echo load (the text load has half as many, at least 1)
 * @param echoDepth           requests in flight per echo connection (closed loop)
 * @param echoBodyBytes       body size of each echo request
 * @param fileWorkers         connections transferring files, alternating binary and JSON text framing
 * @param fileMaxBytes        largest file a worker uploads
 * @param roomMembers         members that stay in the soak room throughout
 * @param sayInterval         each member says something this often
 * @param heapGrowthPercent   allowed heap growth, percent of the first third's mean...
 * @param heapGrowthFloorMib  ...but never less than this many MiB
 * @param fdGrowth            descriptors the server may hold above its idle count once every client has gone
 * @param lagP99Millis        bound on the 99th percentile of the sampled loop lag
 * @param lagMaxMillis        bound on the worst loop lag the server saw (includes the full GCs the samples force)
 * @param gcSamples           full GCs per memory sample, half a second apart; the smallest heap counts
 * @param serverJvm           JVM flags of the server
 * @param java                the java launcher (its jcmd is used for the memory samples)
 * @param serverJar           server/target/server.jar
 * @param outDir              results.md, the server's log and its files directory go here
 */
public record SoakConfig(Duration duration, Duration sampleInterval, Duration warmup, Duration lagInterval,
                         Duration hostileInterval, int hostileConcurrency, int echoConnections, int echoDepth,
                         int echoBodyBytes, int fileWorkers, int fileMaxBytes, int roomMembers, Duration sayInterval,
                         double heapGrowthPercent, double heapGrowthFloorMib, int fdGrowth, double lagP99Millis,
                         double lagMaxMillis, int gcSamples, List<String> serverJvm, Path java, Path serverJar, Path outDir) {

    static final String PREFIX = "soak.";

    /** The options from {@code soak.*} system properties. */
    public static SoakConfig from(Properties properties) {
        Map<String, String> options = new HashMap<>();
        for (String name : properties.stringPropertyNames()) {
            if (name.startsWith(PREFIX)) {
                options.put(name.substring(PREFIX.length()), properties.getProperty(name));
            }
        }
        return from(options);
    }

    /** The options from names without the prefix; blank values mean the default. */
    public static SoakConfig from(Map<String, String> options) {
        Map<String, String> o = new HashMap<>();
        options.forEach((key, value) -> {
            if (value != null && !value.isBlank()) {
                o.put(key, value.trim());
            }
        });
        Duration duration = duration(o, "duration", "10m");
        Duration defaultWarmup = duration.dividedBy(4).compareTo(Duration.ofSeconds(60)) < 0
                ? duration.dividedBy(4) : Duration.ofSeconds(60);
        SoakConfig config = new SoakConfig(duration,
                duration(o, "sample-interval", "30s"),
                o.containsKey("warmup") ? duration(o, "warmup", "0s") : defaultWarmup,
                duration(o, "lag-interval", "1s"),
                duration(o, "hostile-interval", "200ms"),
                integer(o, "hostile-concurrency", 8),
                integer(o, "echo-connections", 4),
                integer(o, "echo-depth", 4),
                size(o, "echo-body-bytes", "512"),
                integer(o, "file-workers", 2),
                size(o, "file-max-bytes", "768KiB"),
                integer(o, "room-members", 3),
                duration(o, "say-interval", "50ms"),
                number(o, "heap-growth-percent", 10),
                number(o, "heap-growth-floor-mib", 2),
                integer(o, "fd-growth", 4),
                number(o, "lag-p99-ms", 100),
                number(o, "lag-max-ms", 1000),
                integer(o, "gc-samples", 2),
                List.of(o.getOrDefault("server.jvm", "-Xmx256m -XX:+UseG1GC").split("\\s+")),
                Path.of(o.getOrDefault("java", Path.of(System.getProperty("java.home"), "bin", "java").toString())),
                Path.of(o.getOrDefault("server-jar", "server/target/server.jar")),
                Path.of(o.getOrDefault("out", "soak/target/soak")));
        config.validate();
        return config;
    }

    private void validate() {
        require(!duration.isNegative() && !duration.isZero(), "soak.duration must be positive");
        require(!sampleInterval.isNegative() && !sampleInterval.isZero(), "soak.sample-interval must be positive");
        require(!lagInterval.isNegative() && !lagInterval.isZero(), "soak.lag-interval must be positive");
        require(!hostileInterval.isNegative() && !hostileInterval.isZero(), "soak.hostile-interval must be positive");
        require(!sayInterval.isNegative() && !sayInterval.isZero(), "soak.say-interval must be positive");
        require(!warmup.isNegative() && warmup.compareTo(duration) < 0, "soak.warmup must be 0 or more and shorter "
                + "than soak.duration");
        require(gcSamples >= 1, "soak.gc-samples must be at least 1");
        require(hostileConcurrency >= 1, "soak.hostile-concurrency must be at least 1");
        require(echoConnections >= 1 && echoDepth >= 1, "soak.echo-connections and soak.echo-depth must be >= 1");
        require(echoBodyBytes >= 0 && fileMaxBytes >= 0, "sizes must not be negative");
        require(fileWorkers >= 0, "soak.file-workers must not be negative");
        require(roomMembers >= 2, "soak.room-members must be at least 2 (someone to talk to)");
    }

    /** The Maven command that runs a soak of this length (for the report). */
    public String mavenCommand() {
        return "mvn -Psoak verify -DskipTests -Dsoak.duration=" + Quantities.format(duration);
    }

    private static Duration duration(Map<String, String> o, String name, String fallback) {
        return Quantities.duration("soak." + name, o.getOrDefault(name, fallback));
    }

    private static int size(Map<String, String> o, String name, String fallback) {
        return Quantities.intSize("soak." + name, o.getOrDefault(name, fallback));
    }

    private static int integer(Map<String, String> o, String name, int fallback) {
        try {
            return o.containsKey(name) ? Integer.parseInt(o.get(name)) : fallback;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("soak." + name + " must be a whole number, got " + o.get(name));
        }
    }

    private static double number(Map<String, String> o, String name, double fallback) {
        try {
            return o.containsKey(name) ? Double.parseDouble(o.get(name)) : fallback;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("soak." + name + " must be a number, got " + o.get(name));
        }
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
