package io.courier.server.metrics;

/** What the metrics and health endpoints read of a server, from their own threads. */
public interface MonitoredServer {
    /** Where the server is in its life: what {@code /readyz} answers from. Any thread, never blocks. */
    ServerState state();

    /** Nanoseconds since the event loop last showed it turns: what {@code /healthz} answers from. Any thread. */
    long nanosSinceLoopAlive();

    /** The cluster link's state ({@code off} without {@code --cluster}): a detail of {@code /readyz}. Any thread. */
    default String clusterState() {
        return "off";
    }

    /** The counters, read on the event loop (so this waits for it). */
    ServerStats.Snapshot stats();
}
