package io.courier.bench.cluster;

import io.courier.bench.BenchConfig;
import io.courier.bench.ServerKind;
import io.courier.harness.ServerProcess;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Several Courier server processes started as the suite starts one ({@link ServerKind#COURIER}'s command: the same
 * JVM flags, the same {@code taskset -c bench.server.cpus}, so they share those CPUs), each with extra options
 * ({@code --cluster}, a {@code reuse-port} listener). Stops them all on close, even when a later one failed to
 * start.
 */
public final class CourierInstances implements AutoCloseable {
    private final List<ServerProcess> processes = new ArrayList<>();

    private CourierInstances() {
    }

    /**
     * Starts {@code count} instances, named {@code NAME-1}, {@code NAME-2}, ... in {@code logs}.
     *
     * @param extra options added to every instance's command line
     */
    public static CourierInstances start(BenchConfig config, Path logs, String name, int count, List<String> extra)
            throws IOException, InterruptedException {
        CourierInstances instances = new CourierInstances();
        try {
            for (int i = 1; i <= count; i++) {
                Path portFile = logs.resolve(name + "-" + i + ".port");
                List<String> command = withoutDefaultPort(ServerKind.COURIER.command(config, portFile), extra);
                command.addAll(extra);
                instances.processes.add(ServerProcess.start("courier-" + i, command, portFile,
                        logs.resolve(name + "-" + i + "-server.log"), config.startTimeout()));
            }
            return instances;
        } catch (IOException | InterruptedException | RuntimeException e) {
            instances.close();
            throw e;
        }
    }

    /** Courier refuses {@code --port} beside {@code --listen} (which replaces the default listener): drop it then. */
    static List<String> withoutDefaultPort(List<String> command, List<String> extra) {
        List<String> result = new ArrayList<>(command);
        if (extra.contains("--listen")) {
            int at = result.indexOf("--port");
            if (at >= 0 && at + 1 < result.size()) {
                result.remove(at + 1);
                result.remove(at);
            }
        }
        return result;
    }

    /** The instances in start order. */
    public List<ServerProcess> processes() {
        return List.copyOf(processes);
    }

    /** The TCP port of instance {@code i} (from 0). */
    public int port(int i) {
        return processes.get(i).port();
    }

    public boolean allAlive() {
        return processes.stream().allMatch(ServerProcess::isAlive);
    }

    @Override
    public void close() throws InterruptedException {
        for (ServerProcess process : processes) {
            process.close();
        }
    }
}
