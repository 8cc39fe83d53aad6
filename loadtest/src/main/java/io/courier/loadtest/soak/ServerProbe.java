package io.courier.loadtest.soak;

import com.fasterxml.jackson.databind.JsonNode;
import io.courier.loadtest.bench.MemoryProbe;
import io.courier.protocol.Framing;
import io.courier.protocol.Message;
import io.courier.protocol.client.MessageClient;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * Looks at the server from outside: heap after a full GC and RSS ({@link MemoryProbe}), descriptors in
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

    /** A full sample: full GC and memory, then descriptors, then stats. */
    Sample sample(double seconds) throws IOException, InterruptedException {
        MemoryProbe.Sample mem = memory.sampleAfterFullGc(pid);
        long fds = fds();
        JsonNode stats = stats();
        return new Sample(seconds, mem.heapUsedBytes(), mem.rssBytes(), fds,
                stats.path("connections").path("open").asLong(), stats.path("loop_lag_ms").path("last").asDouble(),
                stats.path("loop_lag_ms").path("max").asDouble());
    }

    @Override
    public void close() throws IOException {
        client.close();
    }
}
