package io.courier.loadtest.bench;

import java.util.List;
import java.util.Locale;

/** The servers the suite compares, each started in its own JVM from the load-test jar. */
public enum ServerKind {
    /** Courier itself: one selector thread. Logging at warn, as a benchmarked server would run. */
    COURIER("io.courier.server.Main", List.of("--port", "0", "--log-level", "warn"), List.of()),
    /**
     * The Netty baseline: one event-loop thread. The module opens are what Netty's documentation asks for on JDK 9+
     * so it can use its faster paths (selected-key set, direct buffers without cleaners, uninitialised arrays); they
     * change no heap or GC setting.
     */
    NETTY("io.courier.loadtest.peer.NettyPeerServer", List.of("--port", "0"), List.of(
            "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens", "java.base/java.nio=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "-Dio.netty.tryReflectionSetAccessible=true")),
    /** The thread-per-client baseline. */
    BLOCKING("io.courier.loadtest.peer.BlockingPeerServer", List.of("--port", "0"), List.of());

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

    /** The main class and its arguments, to follow {@code java [jvm flags] -cp JAR}. */
    public List<String> mainAndArguments() {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(mainClass), arguments.stream()).toList();
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
        throw new IllegalArgumentException("unknown server '" + label + "'; choose from courier, netty, blocking");
    }
}
