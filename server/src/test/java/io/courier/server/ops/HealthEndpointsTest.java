package io.courier.server.ops;

import io.courier.protocol.Message;
import io.courier.protocol.client.MessageClient;
import io.courier.server.Server;
import io.courier.server.api.Handler;
import io.courier.server.api.Session;
import io.courier.server.metrics.MetricsEndpoint;
import io.courier.server.support.TestServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * /healthz and /readyz on the monitoring listener, against a real server: ready while accepting, not ready while
 * starting or draining, unhealthy while a handler holds the event loop, 404 for any other path.
 */
@Timeout(60)
class HealthEndpointsTest {
    private static final Duration STALL = Duration.ofMillis(500);

    @Test
    void readyWhileAcceptingNotReadyWhileStartingAndUnknownPathsAre404() throws Exception {
        Server server = Server.builder().config(TestServers.config().build()).build();
        try (MetricsEndpoint endpoint = MetricsEndpoint.start(server, "127.0.0.1", 0, STALL)) {
            String base = "http://127.0.0.1:" + endpoint.port();
            HttpResponse<String> starting = Http.get(base, "/readyz");
            assertEquals(503, starting.statusCode(), starting.body());
            assertTrue(starting.body().startsWith("starting"), starting.body());
            assertEquals(200, Http.status(base, "/healthz"), "alive while starting: the process is up");
            assertTrue(Http.scrape(base).contains("\ncourier_build_info{version=\""), "metrics before the start");

            server.start();
            try {
                HttpResponse<String> ready = Http.get(base, "/readyz");
                assertEquals(200, ready.statusCode(), ready.body());
                assertEquals("text/plain; charset=utf-8", ready.headers().firstValue("Content-Type").orElse(""));
                assertEquals(200, Http.status(base, "/healthz"));
                for (String path : new String[] {"/", "/health", "/ready", "/metricsfoo", "/metrics/x", "/healthz/"}) {
                    HttpResponse<String> missing = Http.get(base, path);
                    assertEquals(404, missing.statusCode(), path + ": " + missing.body());
                    assertTrue(missing.body().contains("/metrics, /healthz and /readyz"), missing.body());
                }
                assertEquals(405, Http.send(base, "/healthz", "POST").statusCode());
                assertEquals(200, Http.send(base, "/readyz", "HEAD").statusCode());
            } finally {
                server.close();
            }
            assertEquals(503, Http.status(base, "/healthz"), "the loop has ended");
            assertEquals(503, Http.status(base, "/readyz"));
        }
    }

    @Test
    void aHandlerHoldingTheLoopMakesHealthz503UntilItLetsGo() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch holding = new CountDownLatch(1);
        // On purpose, what a handler must never do: block the event loop (blocking() is false).
        Handler hog = new Handler() {
            @Override
            public String type() {
                return "hog";
            }

            @Override
            public Message handle(Message request, Session session) throws InterruptedException {
                holding.countDown();
                release.await(30, TimeUnit.SECONDS);
                return Message.replyTo(request);
            }
        };
        try (Server server = TestServers.start(hog);
             MetricsEndpoint endpoint = MetricsEndpoint.start(server, "127.0.0.1", 0, STALL);
             MessageClient client = MessageClient.connect(server.localAddress())) {
            String base = "http://127.0.0.1:" + endpoint.port();
            assertEquals(200, Http.status(base, "/healthz"));
            CompletableFuture<Message> reply = client.request(Message.of("hog"));
            assertTrue(holding.await(10, TimeUnit.SECONDS));
            try {
                await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
                    HttpResponse<String> stuck = Http.get(base, "/healthz");
                    assertEquals(503, stuck.statusCode(), stuck.body());
                    assertTrue(stuck.body().startsWith("stuck: the event loop has not turned for"), stuck.body());
                });
                assertEquals(503, Http.status(base, "/readyz"), "a stuck loop accepts nobody");
                String metrics = Http.scrape(base); // answers, from the last snapshot, within about a second
                assertTrue(Http.value(metrics, "courier_loop_stall_seconds") >= STALL.toMillis() / 1e3, metrics);
            } finally {
                release.countDown();
            }
            assertTrue(reply.get(10, TimeUnit.SECONDS).isOk());
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertEquals(200, Http.status(base, "/healthz"));
                assertEquals(200, Http.status(base, "/readyz"));
            });
        }
    }

    @Test
    void drainingIsAliveButNotReady() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch working = new CountDownLatch(1);
        Handler slow = new Handler() {
            @Override
            public String type() {
                return "slow";
            }

            @Override
            public boolean blocking() {
                return true;
            }

            @Override
            public Message handle(Message request, Session session) throws InterruptedException {
                working.countDown();
                release.await(30, TimeUnit.SECONDS);
                return Message.replyTo(request);
            }
        };
        Server server = TestServers.start(TestServers.config().drainTimeout(Duration.ofSeconds(30)).build(), slow);
        try (MetricsEndpoint endpoint = MetricsEndpoint.start(server, "127.0.0.1", 0, STALL);
             MessageClient client = MessageClient.connect(server.localAddress())) {
            String base = "http://127.0.0.1:" + endpoint.port();
            CompletableFuture<Message> reply = client.request(Message.of("slow"));
            assertTrue(working.await(10, TimeUnit.SECONDS));
            CompletableFuture<Void> stopping = CompletableFuture.runAsync(server::close);
            try {
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    HttpResponse<String> draining = Http.get(base, "/readyz");
                    assertEquals(503, draining.statusCode(), draining.body());
                    assertTrue(draining.body().startsWith("draining"), draining.body());
                });
                assertEquals(200, Http.status(base, "/healthz"), "draining is alive");
            } finally {
                release.countDown();
            }
            assertTrue(reply.get(10, TimeUnit.SECONDS).isOk(), "the in-flight request still got its reply");
            stopping.get(20, TimeUnit.SECONDS);
        } finally {
            server.close();
        }
    }
}
