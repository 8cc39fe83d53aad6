package io.courier.server.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The monitoring listener ({@code --metrics-port}), on the JDK's HTTP server and threads of its own, apart from
 * the event loop:
 *
 * <ul>
 *   <li>{@code /metrics}: Prometheus text (or OpenMetrics, as the scraper asks): the server's metrics
 *       ({@link CourierCollector}) and the Prometheus client's process and JVM collectors.</li>
 *   <li>{@code /healthz} and {@code /readyz}: see {@link HealthChecks}.</li>
 *   <li>anything else: 404, so a health check pointed at a wrong path fails instead of passing.</li>
 * </ul>
 *
 * It starts before the server accepts, so a load balancer sees {@code /readyz} say 503 while the server starts.
 */
public final class MetricsEndpoint implements AutoCloseable {
    private static final int THREADS = 4;

    private final HttpServer http;
    private final ExecutorService threads;
    private final LoopSnapshots snapshots;

    private MetricsEndpoint(MonitoredServer server, String host, int port, Duration stallTimeout) throws IOException {
        snapshots = new LoopSnapshots(server);
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(new CourierCollector(snapshots, server));
        JvmMetrics.builder().register(registry);
        HealthChecks health = new HealthChecks(server, stallTimeout);
        MetricsHandler metrics = new MetricsHandler(registry);
        http = HttpServer.create(new InetSocketAddress(host, port), 64);
        AtomicInteger threadNumber = new AtomicInteger();
        threads = Executors.newFixedThreadPool(THREADS, runnable -> {
            Thread thread = new Thread(runnable, "courier-metrics-" + threadNumber.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        http.setExecutor(threads);
        // One context for every path: the JDK matches contexts by prefix, and /metricsfoo must be a 404.
        http.createContext("/", exchange -> route(exchange, metrics, health));
        http.start();
    }

    /**
     * Binds {@code host:port} (0 for any free port) and serves at once.
     *
     * @param stallTimeout how long the loop may go without turning before {@code /healthz} says 503
     */
    public static MetricsEndpoint start(MonitoredServer server, String host, int port, Duration stallTimeout)
            throws IOException {
        return new MetricsEndpoint(server, host, port, stallTimeout);
    }

    public int port() {
        return http.getAddress().getPort();
    }

    public InetSocketAddress address() {
        return http.getAddress();
    }

    private static void route(HttpExchange exchange, HttpHandler metrics, HealthChecks health) throws IOException {
        try {
            String method = exchange.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                text(exchange, 405, "method " + method + " not allowed: use GET or HEAD");
                return;
            }
            switch (exchange.getRequestURI().getPath()) {
                case "/metrics":
                    metrics.handle(exchange);
                    break;
                case "/healthz":
                    answer(exchange, health.liveness());
                    break;
                case "/readyz":
                    answer(exchange, health.readiness());
                    break;
                default:
                    text(exchange, 404, "not found: " + exchange.getRequestURI().getPath()
                            + "; this listener serves /metrics, /healthz and /readyz");
            }
        } finally {
            exchange.close();
        }
    }

    private static void answer(HttpExchange exchange, HealthChecks.Answer answer) throws IOException {
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        text(exchange, answer.status(), answer.body());
    }

    private static void text(HttpExchange exchange, int status, String line) throws IOException {
        byte[] body = (line + "\n").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        http.stop(0);
        threads.shutdownNow();
        snapshots.close();
    }
}
