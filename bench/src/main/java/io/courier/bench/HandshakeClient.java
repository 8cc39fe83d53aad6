package io.courier.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.courier.protocol.Json;
import io.courier.protocol.tls.ClientTlsContexts;
import io.courier.protocol.units.Quantities;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The new-connection client of the {@code tls-handshakes} scenario: {@code --connections} threads, each in a loop
 * of connect, full TLS handshake, one binary {@code ping} and its reply, close (close_notify, then FIN). Every
 * session is invalidated after use, so no handshake is a resumption: each one costs the server a key exchange and a
 * signature. Throughput is completed connections per second over the measured period; latency is the whole
 * connect-to-reply time. It writes the load tool's JSON report fields that the suite reads ({@link ClientReport}).
 *
 * <p>{@code java -cp bench.jar io.courier.bench.HandshakeClient --host H --port P --tls-ca CERT [--connections 16]
 * [--warmup 5s] [--duration 10s] [--json FILE]}. Exit 0 when every connection got its pong, 1 otherwise, 2 for a
 * wrong option. Blocking sockets on purpose: the work per connection is the handshake, not the I/O.
 */
public final class HandshakeClient {
    private static final int CONNECT_TIMEOUT_MILLIS = 5000;
    private static final int READ_TIMEOUT_MILLIS = 10_000;

    private final InetSocketAddress address;
    private final SSLSocketFactory factory;
    private final long warmupEnd;
    private final long measureEnd;
    private final AtomicLong ok = new AtomicLong();
    private final AtomicLong attempts = new AtomicLong();
    private final AtomicLong connectFailures = new AtomicLong();
    private final AtomicLong wrongReplies = new AtomicLong();
    private final AtomicReference<String> negotiated = new AtomicReference<>();
    private final AtomicReference<String> firstFailure = new AtomicReference<>();
    private final byte[] ping = frame("{\"type\":\"ping\",\"id\":1}");

    private HandshakeClient(InetSocketAddress address, SSLContext context, long start, Duration warmup,
                            Duration duration) {
        this.address = address;
        this.factory = context.getSocketFactory();
        this.warmupEnd = start + warmup.toNanos();
        this.measureEnd = warmupEnd + duration.toNanos();
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        Map<String, String> o;
        try {
            o = BenchConfig.parseArgs(args);
            for (String name : o.keySet()) {
                if (!List.of("host", "port", "connections", "warmup", "duration", "tls-ca", "json").contains(name)) {
                    throw new IllegalArgumentException("unknown option --" + name);
                }
            }
            if (!o.containsKey("port") || !o.containsKey("tls-ca")) {
                throw new IllegalArgumentException("--port and --tls-ca are needed");
            }
        } catch (IllegalArgumentException e) {
            System.err.println("handshake-client: " + e.getMessage());
            System.exit(2);
            return;
        }
        int threads = Integer.parseInt(o.getOrDefault("connections", "16"));
        Duration warmup = Quantities.duration("--warmup", o.getOrDefault("warmup", "5s"));
        Duration duration = Quantities.duration("--duration", o.getOrDefault("duration", "10s"));
        SSLContext context = ClientTlsContexts.create(Path.of(o.get("tls-ca")), false);
        InetSocketAddress address = new InetSocketAddress(o.getOrDefault("host", "127.0.0.1"),
                Integer.parseInt(o.get("port")));
        out.printf("Handshakes against %s: %d at a time, %s measured after %s of warm-up%n", address, threads,
                Quantities.format(duration), Quantities.format(warmup));
        HandshakeClient client = new HandshakeClient(address, context, System.nanoTime(), warmup, duration);
        List<long[]> latencies = client.run(threads);
        ObjectNode report = client.report(latencies, duration);
        out.println(report.toPrettyString());
        if (o.containsKey("json")) {
            Files.writeString(Path.of(o.get("json")), Json.MAPPER.writerWithDefaultPrettyPrinter()
                    .writeValueAsString(report), StandardCharsets.UTF_8);
        }
        System.exit(client.errors() == 0 ? 0 : 1);
    }

    /** Runs the loops until the measured period ends; each thread's measured latencies (µs), as many as it had. */
    private List<long[]> run(int threads) throws InterruptedException {
        long[][] results = new long[threads][];
        List<Thread> running = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            int index = i;
            Thread thread = new Thread(() -> results[index] = loop(), "handshake-" + i);
            running.add(thread);
            thread.start();
        }
        for (Thread thread : running) {
            thread.join(); // also makes each thread's results visible here
        }
        return Arrays.asList(results);
    }

    private long[] loop() {
        long[] micros = new long[4096];
        int count = 0;
        while (true) {
            long began = System.nanoTime();
            if (began - measureEnd >= 0) {
                return Arrays.copyOf(micros, count);
            }
            boolean measured = began - warmupEnd >= 0;
            if (measured) {
                attempts.incrementAndGet();
            }
            boolean done = once(measured);
            long ended = System.nanoTime();
            if (done && measured && ended - measureEnd < 0) {
                ok.incrementAndGet();
                if (count == micros.length) {
                    micros = Arrays.copyOf(micros, count * 2);
                }
                micros[count++] = (ended - began) / 1000;
            }
        }
    }

    /** One connection; true when its pong came back. Failures during warm-up are not counted. */
    private boolean once(boolean measured) {
        Socket plain = new Socket();
        try {
            plain.setTcpNoDelay(true);
            plain.connect(address, CONNECT_TIMEOUT_MILLIS);
        } catch (IOException e) {
            close(plain);
            if (measured) {
                connectFailures.incrementAndGet();
            }
            firstFailure.compareAndSet(null, "connect: " + e);
            return false;
        }
        SSLSocket socket = null;
        try {
            plain.setSoTimeout(READ_TIMEOUT_MILLIS);
            socket = (SSLSocket) factory.createSocket(plain, "localhost", address.getPort(), true);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            parameters.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            OutputStream out = socket.getOutputStream();
            out.write(ping);
            out.flush();
            boolean good = pong(new DataInputStream(socket.getInputStream()));
            if (negotiated.get() == null) {
                negotiated.compareAndSet(null, socket.getSession().getProtocol() + " "
                        + socket.getSession().getCipherSuite());
            }
            socket.getSession().invalidate(); // never resumed: every connection is a full handshake
            if (!good && measured) {
                wrongReplies.incrementAndGet();
            }
            return good;
        } catch (IOException | RuntimeException e) {
            if (measured) {
                wrongReplies.incrementAndGet();
            }
            firstFailure.compareAndSet(null, "handshake or ping: " + e);
            return false;
        } finally {
            close(socket != null ? socket : plain);
        }
    }

    private static boolean pong(DataInputStream in) throws IOException {
        int headerLength = in.readInt();
        int bodyLength = in.readInt();
        if (headerLength <= 0 || headerLength > 1 << 20 || bodyLength < 0 || bodyLength > 1 << 20) {
            return false;
        }
        byte[] header = new byte[headerLength];
        in.readFully(header);
        in.skipNBytes(bodyLength);
        JsonNode reply = Json.MAPPER.readTree(header);
        return "ping".equals(reply.path("type").asText()) && reply.path("ok").asBoolean(false);
    }

    private static void close(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing to do about a failed close of a finished connection
        }
    }

    /** A binary frame: header length and body length (big-endian ints), then the JSON header. */
    private static byte[] frame(String header) {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + json.length).putInt(json.length).putInt(0).put(json).array();
    }

    private long errors() {
        return connectFailures.get() + wrongReplies.get();
    }

    private ObjectNode report(List<long[]> perThread, Duration duration) {
        long[] all = perThread.stream().filter(a -> a != null).flatMapToLong(Arrays::stream).sorted().toArray();
        double seconds = duration.toNanos() / 1e9;
        ObjectNode report = Json.NODES.objectNode();
        report.put("client", "io.courier.bench.HandshakeClient");
        report.put("negotiated", negotiated.get());
        report.put("duration_seconds", seconds);
        report.put("requests_sent", attempts.get());
        report.put("replies_ok", ok.get());
        report.put("throughput_per_second", ok.get() / seconds);
        ObjectNode latency = report.putObject("latency_micros");
        latency.put("p50", percentile(all, 0.50));
        latency.put("p90", percentile(all, 0.90));
        latency.put("p99", percentile(all, 0.99));
        latency.put("p999", percentile(all, 0.999));
        latency.put("max", all.length == 0 ? 0 : all[all.length - 1]);
        latency.put("mean", Arrays.stream(all).average().orElse(0));
        ObjectNode errors = report.putObject("errors");
        errors.put("connect_failures", connectFailures.get());
        errors.put("error_replies", wrongReplies.get());
        if (firstFailure.get() != null) {
            report.put("first_failure", firstFailure.get());
        }
        return report;
    }

    private static long percentile(long[] sorted, double fraction) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(fraction * sorted.length) - 1)];
    }
}
