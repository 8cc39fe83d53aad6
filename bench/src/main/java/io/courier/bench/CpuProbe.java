package io.courier.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

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

    /** utime + stime (fields 14 and 15) of a /proc/PID/stat line; the command name may hold spaces. */
    static long parseTicks(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }
}
