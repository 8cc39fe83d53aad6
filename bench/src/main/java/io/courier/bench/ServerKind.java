package io.courier.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The servers the suite compares, each started in its own JVM on port 0 with {@code --port-file FILE}: Courier from
 * {@code server/target/server.jar} (the artifact users run), the peers from the bench jar.
 */
public enum ServerKind {
    /** Courier itself: one selector thread. Logging at warn, as a benchmarked server would run. */
    COURIER(null, List.of("--log-level", "warn"), List.of()),
    /**
     * The Netty baseline: one event-loop thread. The module opens are what Netty's documentation asks for on JDK 9+
     * so it can use its faster paths (selected-key set, direct buffers without cleaners, uninitialised arrays); they
     * change no heap or GC setting.
     */
    NETTY("io.courier.bench.peer.NettyPeerServer", List.of(), List.of(
            "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens", "java.base/java.nio=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "-Dio.netty.tryReflectionSetAccessible=true")),
    /** The thread-per-client baseline. */
    BLOCKING("io.courier.bench.peer.BlockingPeerServer", List.of(), List.of()),
    /** Redis ({@code redis-server} from the OS packages): no JVM, started by {@link NativeServer}; wire scenarios. */
    REDIS(null, List.of(), List.of()),
    /** NATS ({@code nats-server} from the OS packages), likewise. */
    NATS(null, List.of(), List.of());

    /** The peer's main class in the bench jar; {@code null} for Courier, which runs from its own jar. */
    private final String mainClass;
    private final List<String> arguments;
    private final List<String> jvmOptions;

    ServerKind(String mainClass, List<String> arguments, List<String> jvmOptions) {
        this.mainClass = mainClass;
        this.arguments = arguments;
        this.jvmOptions = jvmOptions;
    }

    /** JVM options this server needs beyond the flags all servers share (none change heap or GC). */
    public List<String> jvmOptions() {
        return jvmOptions;
    }

    /**
     * The command line: {@code [taskset -c CPUS] java FLAGS (-jar server.jar | -cp bench.jar MAIN) --port 0
     * --port-file FILE ARGS}.
     */
    public List<String> command(BenchConfig config, Path portFile) {
        if (isNative()) {
            throw new IllegalStateException(label() + " is no JVM server: NativeServer starts it");
        }
        List<String> command = new ArrayList<>(config.pinning(config.serverCpus()));
        command.add(config.java().toString());
        command.addAll(config.serverJvm());
        command.addAll(jvmOptions);
        if (mainClass == null) {
            command.addAll(List.of("-jar", config.serverJar().toString()));
        } else {
            command.addAll(List.of("-cp", config.jar().toString(), mainClass));
        }
        command.addAll(List.of("--port", "0", "--port-file", portFile.toAbsolutePath().toString()));
        command.addAll(arguments);
        return command;
    }

    /** The OS program of a server that is not a JVM ({@code redis-server}, {@code nats-server}), or null. */
    public String program() {
        switch (this) {
            case REDIS:
                return "redis-server";
            case NATS:
                return "nats-server";
            default:
                return null;
        }
    }

    public boolean isNative() {
        return program() != null;
    }

    /** The protocol the neutral wire client speaks to this server: the peers speak Courier's. */
    public String wireProtocol() {
        return isNative() ? label() : "courier";
    }

    /** The name used in options, tables and file names: {@code courier}, {@code netty}, {@code blocking}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The kind for a label, case-insensitively. */
    public static ServerKind fromLabel(String label) {
        for (ServerKind kind : values()) {
            if (kind.label().equalsIgnoreCase(label.trim())) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown server '" + label + "'; choose from courier, netty, blocking, redis, nats");
    }
}
