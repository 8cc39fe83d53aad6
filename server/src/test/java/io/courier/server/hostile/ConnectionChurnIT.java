package io.courier.server.hostile;

import io.courier.protocol.Framing;
import io.courier.protocol.Message;
import io.courier.server.support.JarProcess;
import io.courier.server.support.Frames;
import io.courier.server.support.RawClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 20,000 connects and disconnects against the packaged server running as a child process: closes with and
 * without a reset (SO_LINGER 0), with nothing sent, between frames and in the middle of one. Afterwards the server
 * has as many open file descriptors as before (from /proc/PID/fd) and, after a full GC, no more heap in use than
 * before within a small bound (from jcmd): a leak of 200 bytes per connection would show.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class ConnectionChurnIT {
    private static final int CHURN = 20_000;
    private static final int WARM_UP = 2_000;
    private static final int THREADS = 4;
    private static final int KINDS = 7;
    private static final long DESCRIPTOR_SLACK = 3;
    private static final long HEAP_SLACK = 4L << 20;

    private static final byte[] PING_FRAME = Frames.binary("{\"type\":\"ping\",\"id\":1}");
    private static final byte[] PING_TEXT = Frames.utf8("{\"type\":\"ping\",\"id\":1}\n");
    private static final byte[] ECHO_FRAME = Frames.binary("{\"type\":\"echo\",\"id\":2}", Frames.randomBytes(2000, 3));
    private static final byte[] ECHO_TEXT = Frames.utf8("{\"type\":\"echo\",\"id\":2,\"text\":\"" + "t".repeat(500) + "\"}\n");

    @Test
    void twentyThousandConnectsAndDisconnectsLeakNeitherDescriptorsNorHeap() throws Exception {
        try (JarProcess server = JarProcess.start("--port", "0");
             RawClient probe = RawClient.connect(serverPort(server), Framing.JSON_TEXT)) {
            int port = probe.socket().getPort();
            churn(port, WARM_UP); // classes loaded, code compiled, buffers at their working size
            awaitOnlyTheProbeOpen(probe);
            long heapBefore = server.heapUsedAfterGc();
            long descriptorsBefore = server.openDescriptors(); // after jcmd: its attach socket is in the baseline

            long start = System.nanoTime();
            churn(port, CHURN);
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            Message stats = awaitOnlyTheProbeOpen(probe);
            long total = stats.header().path("connections").path("total").asLong();
            assertTrue(total >= WARM_UP + CHURN + 1, "every connection was accepted and counted: " + stats);
            await("descriptors back to the baseline of " + descriptorsBefore).atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> server.openDescriptors() <= descriptorsBefore + DESCRIPTOR_SLACK);
            long descriptorsAfter = server.openDescriptors();
            long heapAfter = server.heapUsedAfterGc();
            String report = CHURN + " connections in " + took.toMillis() + " ms; descriptors " + descriptorsBefore
                    + " -> " + descriptorsAfter + "; heap after GC " + heapBefore / 1024 + " KiB -> "
                    + heapAfter / 1024 + " KiB";
            System.out.println(report);
            assertTrue(Math.abs(descriptorsAfter - descriptorsBefore) <= DESCRIPTOR_SLACK, report);
            assertTrue(heapAfter - heapBefore <= HEAP_SLACK, "heap grew by more than " + HEAP_SLACK / 1024
                    + " KiB: " + report);
            assertTrue(server.process().isAlive(), server.describe());
            assertTrue(!server.stdout().contains("ERROR") && !server.stderr().contains("ERROR"),
                    "churn is no reason for an error log:\n" + server.stderr());
        }
    }

    private static int serverPort(JarProcess server) {
        return server.awaitListeningPort();
    }

    /** Waits until the probe is the only open connection; returns the stats reply that said so. */
    private static Message awaitOnlyTheProbeOpen(RawClient probe) {
        Message[] last = new Message[1];
        await("the churned connections to be closed").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200)).until(() -> {
                    probe.send(Message.of("stats"));
                    last[0] = probe.read(Duration.ofSeconds(10));
                    return last[0].header().path("connections").path("open").asLong() == 1;
                });
        return last[0];
    }

    /** {@code count} connections from THREADS threads, each ending in one of the KINDS ways in turn. */
    private static void churn(int port, int count) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> threads = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int first = t;
                threads.add(pool.submit(() -> {
                    for (int i = first; i < count; i += THREADS) {
                        once(port, i);
                    }
                    return null;
                }));
            }
            for (Future<?> thread : threads) {
                thread.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void once(int port, int i) throws IOException {
        boolean binary = (i / KINDS) % 2 == 0;
        byte[] ping = binary ? PING_FRAME : PING_TEXT;
        byte[] echo = binary ? ECHO_FRAME : ECHO_TEXT;
        byte[] half = Arrays.copyOf(echo, echo.length / 2);
        try (Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            socket.setSoTimeout(10_000);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            switch (i % KINDS) {
                case 0: // connect, send nothing, close
                    break;
                case 1: // a request and its reply, then close between frames
                    roundTrip(socket, in, ping, binary);
                    break;
                case 2: // close in the middle of a frame
                    socket.getOutputStream().write(half);
                    break;
                case 3: // reset with nothing sent
                    socket.setSoLinger(true, 0);
                    break;
                case 4: // reset between frames
                    roundTrip(socket, in, ping, binary);
                    socket.setSoLinger(true, 0);
                    break;
                case 5: // reset in the middle of a frame, after a whole one
                    roundTrip(socket, in, echo, binary);
                    socket.getOutputStream().write(half);
                    socket.setSoLinger(true, 0);
                    break;
                default: // half-close after a request: the reply still comes, then the server's end of stream
                    socket.getOutputStream().write(ping);
                    socket.shutdownOutput();
                    readReply(in, binary);
                    if (in.read() != -1) {
                        throw new AssertionError("expected the server's end of stream after the reply");
                    }
            }
        }
    }

    private static void roundTrip(Socket socket, InputStream in, byte[] request, boolean binary) throws IOException {
        socket.getOutputStream().write(request);
        readReply(in, binary);
    }

    /** Reads one whole reply: a frame (8-byte prefix, header, body) or a line of JSON text. */
    private static void readReply(InputStream in, boolean binary) throws IOException {
        if (binary) {
            DataInputStream data = new DataInputStream(in);
            long header = data.readInt() & 0xffff_ffffL;
            long body = data.readInt() & 0xffff_ffffL;
            data.readFully(new byte[(int) (header + body)]);
            return;
        }
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new AssertionError("the server closed before its reply was complete");
            }
        }
    }
}
