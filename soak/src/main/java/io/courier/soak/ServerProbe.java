package io.courier.soak;

import com.fasterxml.jackson.databind.JsonNode;
import io.courier.harness.MemoryProbe;
import io.courier.protocol.Framing;
import io.courier.protocol.Message;
import io.courier.protocol.client.MessageClient;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * Looks at the server from outside: live heap after a full GC and RSS ({@link MemoryProbe}), descriptors in
 * {@code /proc/PID/fd}, and the {@code stats} reply over one connection of its own (which counts as one of the
 * server's open connections).
 */
final class ServerProbe implements AutoCloseable {
    private static final Duration STATS_TIMEOUT = Duration.ofSeconds(10);

    private final long pid;
    private final MemoryProbe memory;
    private final MessageClient client;

    ServerProbe(long pid, MemoryProbe memory, int port) throws IOException {
        this.pid = pid;
        this.memory = memory;
        this.client = MessageClient.connect(new InetSocketAddress("127.0.0.1", port), Framing.BINARY,
                STATS_TIMEOUT);
    }

    /** The server's {@code stats} reply. */
    JsonNode stats() throws IOException {
        try {
            Message reply = client.call(Message.of("stats"), STATS_TIMEOUT);
            if (!reply.isOk()) {
                throw new IOException("stats failed: " + reply);
            }
            return reply.header();
        } catch (TimeoutException e) {
            throw new IOException("no stats reply within " + STATS_TIMEOUT, e);
        }
    }

    /** {@code loop_lag_ms.last} from a fresh stats reply. */
    double lagMillis() throws IOException {
        return stats().path("loop_lag_ms").path("last").asDouble();
    }

    /** Entries in {@code /proc/PID/fd}. */
    long fds() throws IOException {
        try (Stream<Path> entries = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return entries.count();
        }
    }

    /**
     * What the descriptors point at, sorted; sockets, pipes and the like without their inode numbers
     * ({@code socket}, {@code pipe}), so two lists can be compared.
     */
    List<String> fdTargets() throws IOException {
        List<String> targets = new ArrayList<>();
        try (Stream<Path> entries = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : entries.toList()) {
                try {
                    targets.add(Files.readSymbolicLink(fd).toString().replaceFirst(":\\[\\d+\\]$", ""));
                } catch (NoSuchFileException closedMeanwhile) {
                    // gone between listing and reading
                }
            }
        }
        targets.sort(null);
        return targets;
    }

    /**
     * A full sample: the live heap after a full GC ({@code GC.class_histogram}), the smallest of {@code gcRepeats}
     * tries half a second apart (a leak raises the floor, data in flight at one GC does not), then RSS,
     * descriptors and stats.
     */
    Sample sample(double seconds, int gcRepeats) throws IOException, InterruptedException {
        long heap = Long.MAX_VALUE;
        for (int i = 0; i < Math.max(1, gcRepeats); i++) {
            if (i > 0) {
                TimeUnit.MILLISECONDS.sleep(500);
            }
            heap = Math.min(heap, memory.liveHeapAfterFullGc(pid));
        }
        long rss = MemoryProbe.rssBytes(pid);
        long fds = fds();
        JsonNode stats = stats();
        return new Sample(seconds, heap, rss, fds, stats.path("connections").path("open").asLong(),
                stats.path("loop_lag_ms").path("last").asDouble(), stats.path("loop_lag_ms").path("max").asDouble());
    }

    @Override
    public void close() throws IOException {
        client.close();
    }
}
