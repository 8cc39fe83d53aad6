package io.courier.soak;

/**
 * One look at the server process: the bytes of live objects after a full GC, and its resident set; its open
 * file descriptors;
 * and from its {@code stats} reply, its open connections and event-loop lag.
 *
 * @param seconds         since the workload started (negative for the idle sample before it)
 * @param heapUsedBytes   live objects after the full GC (the class histogram's total)
 * @param rssBytes        resident set size
 * @param fds             entries in {@code /proc/PID/fd}
 * @param connectionsOpen {@code connections.open} from {@code stats}
 * @param lagLastMillis   {@code loop_lag_ms.last}
 * @param lagMaxMillis    {@code loop_lag_ms.max} (since the server started)
 */
public record Sample(double seconds, long heapUsedBytes, long rssBytes, long fds, long connectionsOpen,
                     double lagLastMillis, double lagMaxMillis) {

    /** Descriptors not explained by open connections: what a descriptor leak would make grow. */
    public long fdsBesidesConnections() {
        return fds - connectionsOpen;
    }
}
