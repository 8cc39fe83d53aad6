package io.courier.harness;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every process the suite started and has not stopped yet, so that if the suite itself is stopped (Ctrl-C on
 * Maven) no server or client is left running: a shutdown hook destroys whatever is still registered.
 */
public final class ChildProcesses {
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (Process process : LIVE) {
                process.destroyForcibly();
            }
        }, "bench-child-reaper"));
    }

    private ChildProcesses() {
    }

    public static void register(Process process) {
        LIVE.add(process);
    }

    public static void unregister(Process process) {
        LIVE.remove(process);
    }

    /**
     * Stops a process: SIGTERM, up to {@code graceMillis} to exit, then SIGKILL. Returns the exit code.
     */
    public static int stop(Process process, long graceMillis) throws InterruptedException {
        try {
            process.destroy();
            if (!process.waitFor(graceMillis, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor();
            }
            return process.exitValue();
        } finally {
            unregister(process);
        }
    }
}
