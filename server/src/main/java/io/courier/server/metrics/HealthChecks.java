package io.courier.server.metrics;

import java.time.Duration;
import java.util.Locale;

/**
 * What {@code /healthz} and {@code /readyz} answer, from the server's state and its loop's heartbeat; never waits
 * for the loop, so a stuck loop gets a quick 503, not a hung health check.
 *
 * <ul>
 *   <li>{@code /healthz}, liveness: 200 while the process is up and the event loop turns (also while starting
 *       and draining); 503 once the loop has not turned for {@code loop-stall-timeout}, or has stopped. A restart
 *       is the cure for a 503 here.</li>
 *   <li>{@code /readyz}, readiness: 200 while accepting and the loop turns; 503 while starting, draining or
 *       stuck. A load balancer sends clients only where this says 200.</li>
 * </ul>
 */
public final class HealthChecks {
    /** A status code and a one-line body saying why. */
    public record Answer(int status, String body) {
    }

    private final MonitoredServer server;
    private final long stallNanos;

    public HealthChecks(MonitoredServer server, Duration stallTimeout) {
        this.server = server;
        this.stallNanos = stallTimeout.toNanos();
    }

    public Answer liveness() {
        ServerState state = server.state();
        if (state == ServerState.STOPPED) {
            return new Answer(503, "stopped: the event loop has ended");
        }
        String stall = stall(state);
        if (stall != null) {
            return new Answer(503, stall);
        }
        return new Answer(200, "ok: " + name(state));
    }

    public Answer readiness() {
        ServerState state = server.state();
        if (state != ServerState.ACCEPTING) {
            return new Answer(503, name(state) + ": not accepting clients");
        }
        String stall = stall(state);
        if (stall != null) {
            return new Answer(503, stall);
        }
        // Without Redis the server still serves its own members: ready, and the detail says how things are.
        String cluster = server.clusterState();
        return new Answer(200, "ready: accepting clients" + (cluster.equals("off") ? "" : "; cluster " + cluster));
    }

    /** Why the loop counts as stuck, or null. A loop not started yet is not stuck. */
    private String stall(ServerState state) {
        if (state == ServerState.STARTING) {
            return null;
        }
        long since = server.nanosSinceLoopAlive();
        if (since <= stallNanos) {
            return null;
        }
        return String.format(Locale.ROOT, "stuck: the event loop has not turned for %.1f s (loop-stall-timeout %s)",
                since / 1e9, Duration.ofNanos(stallNanos).toString().substring(2).toLowerCase(Locale.ROOT));
    }

    private static String name(ServerState state) {
        return state.name().toLowerCase(Locale.ROOT);
    }
}
