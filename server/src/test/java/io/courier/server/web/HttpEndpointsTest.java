package io.courier.server.web;

import io.courier.server.Server;
import io.courier.server.support.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** HTTP on the stream port: the page and its files, /healthz, 404, 405, 400, 431, keep-alive and close. */
@Timeout(60)
class HttpEndpointsTest {
    private static Server server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServers.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void thePageAndItsFilesAreServedFromTheJar() throws Exception {
        try (HttpExchange http = new HttpExchange(server.port())) {
            HttpExchange.Response page = http.write(HttpExchange.get("/")).read();
            assertEquals(200, page.status());
            assertEquals("text/html; charset=utf-8", page.header("content-type"));
            assertTrue(page.text().contains("<title>Courier</title>"), page.text());
            assertTrue(page.header("content-security-policy").contains("default-src 'self'"));
            assertEquals("keep-alive", page.header("connection"));
            for (String file : new String[] {"/app.js", "/courier.js", "/style.css", "/favicon.svg"}) {
                HttpExchange.Response asset = http.write(HttpExchange.get(file)).read();
                assertEquals(200, asset.status(), file);
                assertTrue(asset.body().length > 100, file);
            }
        }
    }

    @Test
    void healthzAnswers200WhileServingAndHeadHasNoBody() throws Exception {
        try (HttpExchange http = new HttpExchange(server.port())) {
            HttpExchange.Response health = http.write(HttpExchange.get("/healthz")).read();
            assertEquals(200, health.status());
            assertEquals("{\"status\":\"serving\"}\n", health.text());
            HttpExchange.Response head = http.write("HEAD /healthz HTTP/1.1\r\nHost: a\r\n\r\n").read(true);
            assertEquals(200, head.status());
            assertEquals(String.valueOf(health.body().length), head.header("content-length"));
            // the next response starts right after the head: nothing of a body was sent
            assertEquals(200, http.write(HttpExchange.get("/healthz")).read().status());
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrderAndConnectionCloseCloses() throws Exception {
        try (HttpExchange http = new HttpExchange(server.port())) {
            http.write(HttpExchange.get("/healthz") + HttpExchange.get("/nope") + HttpExchange.get("/", "Connection: close"));
            assertEquals(200, http.read().status());
            HttpExchange.Response missing = http.read();
            assertEquals(404, missing.status());
            assertTrue(missing.text().contains("try / (the page)"), missing.text());
            HttpExchange.Response last = http.read();
            assertEquals(200, last.status());
            assertEquals("close", last.header("connection"));
            assertTrue(http.atEof());
        }
    }

    @Test
    void aClientThatPipelinesWithoutReadingIsCutOffAfterABoundedBacklog() throws Exception {
        // 64 KiB of requests for the 10 KiB page: 2,000 answers, 20 MiB, if they were all queued
        String many = HttpExchange.get("/").repeat(65536 / HttpExchange.get("/").length());
        try (HttpExchange http = new HttpExchange(server.port())) {
            http.write(many);
            int answered = 0;
            try {
                while (http.read().status() == 200) {
                    answered++;
                }
            } catch (java.io.IOException endOfStream) {
                // the server closed after the answers it had queued
            }
            assertTrue(answered > 0 && answered < 400, "answers before the cut: " + answered);
        }
    }

    @Test
    void otherMethodsAre405AndClose() throws Exception {
        try (HttpExchange http = new HttpExchange(server.port())) {
            HttpExchange.Response post = http.write("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello").read();
            assertEquals(405, post.status());
            assertEquals("GET, HEAD", post.header("allow"));
            assertEquals("close", post.header("connection"));
            assertTrue(http.atEof());
        }
        try (HttpExchange http = new HttpExchange(server.port())) {
            assertEquals(404, http.write("DELETE /files/x HTTP/1.1\r\nHost: a\r\n\r\n").read().status());
        }
    }

    @Test
    void anUploadFarLargerThanOneReadStillGetsIts405BeforeTheClose() throws Exception {
        // The body is never read: the unread rest must not turn the close into a reset that destroys the answer.
        byte[] body = new byte[4 << 20];
        try (HttpExchange http = new HttpExchange(server.port())) {
            java.util.concurrent.CompletableFuture<Void> writing = java.util.concurrent.CompletableFuture.runAsync(() -> {
                try {
                    http.write("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: " + body.length + "\r\n\r\n");
                    http.socket.getOutputStream().write(body);
                } catch (java.io.IOException refused) {
                    // the server closed first: fine
                }
            });
            assertEquals(405, http.read().status());
            assertTrue(http.atEof());
            writing.get(10, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    @Test
    void aBrokenOrOversizedHeadGets400Or431WithAJsonErrorAndTheConnectionCloses() throws Exception {
        try (HttpExchange http = new HttpExchange(server.port())) {
            HttpExchange.Response bad = http.write("GET / HTTP/1.1\r\nno colon here\r\n\r\n").read();
            assertEquals(400, bad.status());
            assertEquals("application/json", bad.header("content-type"));
            assertTrue(bad.text().contains("\"code\":\"bad_request\""), bad.text());
            assertTrue(http.atEof());
        }
        try (HttpExchange http = new HttpExchange(server.port())) {
            HttpExchange.Response big = http.write("GET / HTTP/1.1\r\nHost: a\r\nCookie: " + "c".repeat(10_000)
                    + "\r\n\r\n").read();
            assertEquals(431, big.status());
            assertTrue(big.text().contains("\"code\":\"too_large\""), big.text());
        }
    }

    @Test
    void wsWithoutAnUpgradeIs426AndOtherFirstBytesStillGetUnknownProtocol() throws Exception {
        try (HttpExchange http = new HttpExchange(server.port())) {
            HttpExchange.Response plain = http.write(HttpExchange.get("/ws")).read();
            assertEquals(426, plain.status());
            assertEquals("websocket", plain.header("upgrade"));
            HttpExchange.Response version = http.write(HttpExchange.get("/ws", "Upgrade: websocket",
                    "Connection: Upgrade", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
                    "Sec-WebSocket-Version: 8")).read();
            assertEquals(426, version.status());
            assertEquals("13", version.header("sec-websocket-version"));
            HttpExchange.Response key = http.write(HttpExchange.get("/ws", "Upgrade: websocket",
                    "Connection: Upgrade", "Sec-WebSocket-Key: short", "Sec-WebSocket-Version: 13")).read();
            assertEquals(400, key.status());
        }
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.getOutputStream().write("XYZ\n".getBytes(StandardCharsets.US_ASCII));
            String line = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
            assertTrue(line.contains("unknown_protocol") && line.contains("GET / for the page"), line);
        }
    }
}
