package io.courier.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A process's CPU time from {@code /proc/PID/stat} (user plus system, in clock ticks of 1/100 s, Linux's
 * {@code USER_HZ}). On two cores the load-test client can saturate its core before the server saturates its own;
 * the server's CPU seconds per message then still compare servers fairly, where raw throughput compares clients.
 */
final class CpuProbe {
    static final double TICKS_PER_SECOND = 100.0;

    private CpuProbe() {
    }

    /** CPU seconds the process has used so far. */
    static double cpuSeconds(long pid) throws IOException {
        return parseTicks(Files.readString(Path.of("/proc", Long.toString(pid), "stat"))) / TICKS_PER_SECOND;
    }

    /** What the server side and the client used over one measured window, in CPU seconds per wall-clock second. */
    record Window(double serverShare, double clientShare) {
        /** Puts the server's and the client's share of a core, and the server's CPU seconds per second. */
        void putInto(Map<String, Double> values, String cpuSecondsKey) {
            values.put(Metric.SERVER_CPU.key(), 100.0 * serverShare);
            // The client's share of its core tells a client-bound run (client saturated, server not) apart.
            values.put(Metric.CLIENT_CPU.key(), 100.0 * clientShare);
            values.put(cpuSecondsKey, serverShare);
        }
    }

    /**
     * Samples the server's processes (their sum) and the client now and after {@code duration}: their CPU over the
     * client's measured period. (A wall-clock wait for a child process's schedule: the client runs on its own clock.)
     */
    static Window measure(List<Long> serverPids, long clientPid, Duration duration)
            throws IOException, InterruptedException {
        double start = cpuSeconds(serverPids);
        double clientStart = cpuSeconds(clientPid);
        long startNanos = System.nanoTime();
        TimeUnit.MILLISECONDS.sleep(duration.toMillis());
        double used = cpuSeconds(serverPids) - start;
        double clientUsed = cpuSeconds(clientPid) - clientStart;
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        return new Window(used / seconds, clientUsed / seconds);
    }

    private static double cpuSeconds(List<Long> pids) throws IOException {
        double total = 0;
        for (long pid : pids) {
            total += cpuSeconds(pid);
        }
        return total;
    }

    /** utime + stime (fields 14 and 15) of a /proc/PID/stat line; the command name may hold spaces. */
    static long parseTicks(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }
}
