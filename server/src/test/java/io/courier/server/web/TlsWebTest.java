package io.courier.server.web;

import io.courier.protocol.Json;
import io.courier.protocol.Message;
import io.courier.protocol.websocket.MessageKind;
import io.courier.server.Server;
import io.courier.server.config.ListenerSpec;
import io.courier.server.support.TestServers;
import io.courier.server.tls.TestCertificates;
import io.courier.server.tls.TlsSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * HTTPS and WebSocket over TLS (wss:) on a tls: listener: the JDK's own HTTP and WebSocket clients, which check the
 * server's certificate and name as a browser does, get the page, /healthz and a WebSocket session; the framing is
 * chosen by the first decrypted byte, as on a plain port.
 */
@Timeout(60)
class TlsWebTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final TestCertificates CERTS = TestCertificates.get();
    private static Server server;
    private static SSLContext trustingTheTestCa;

    @BeforeAll
    static void start() throws Exception {
        server = TestServers.start(TestServers.config().tls(TlsSettings.pem(CERTS.serverCert, CERTS.serverKey))
                .listen("tls:127.0.0.1:0").build());
        trustingTheTestCa = contextTrusting(CERTS);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void httpsServesThePageAndHealthz() throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(trustingTheTestCa).connectTimeout(WAIT).build();
        HttpResponse<String> health = client.send(HttpRequest.newBuilder(uri("https", "/healthz")).timeout(WAIT)
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode());
        assertEquals("{\"status\":\"serving\"}\n", health.body());
        HttpResponse<String> page = client.send(HttpRequest.newBuilder(uri("https", "/")).timeout(WAIT).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("<title>Courier</title>"), page.body());
    }

    @Test
    void aWssSessionExchangesMessagesInBothKinds() throws Exception {
        JdkWebSocketCollector received = new JdkWebSocketCollector();
        WebSocket ws = HttpClient.newBuilder().sslContext(trustingTheTestCa).build().newWebSocketBuilder()
                .buildAsync(uri("wss", "/ws"), received).get(10, TimeUnit.SECONDS);
        ws.sendText("{\"type\":\"ping\",\"id\":1}", true).get(10, TimeUnit.SECONDS);
        String pong = (String) received.next();
        assertNotNull(pong, "no reply to ping over wss");
        assertEquals("ping", Json.MAPPER.readTree(pong).path("type").asText());
        assertEquals(1, Json.MAPPER.readTree(pong).path("id").asInt());
        ws.sendText("{\"type\":\"echo\",\"id\":2,\"text\":\"héllo, 世界 🌍\"}", true).get(10, TimeUnit.SECONDS);
        String echo = (String) received.next();
        assertNotNull(echo, "no reply to echo over wss");
        assertEquals("héllo, 世界 🌍", Json.MAPPER.readTree(echo).path("text").asText());
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
    }

    @Test
    void binaryWebSocketMessagesWithBodiesCrossTls() throws Exception {
        SSLSocket socket = (SSLSocket) trustingTheTestCa.getSocketFactory().createSocket();
        socket.connect(new InetSocketAddress("127.0.0.1", port()), 10_000);
        socket.startHandshake();
        try (WsTestClient ws = WsTestClient.upgrade(new HttpExchange(socket))) {
            byte[] body = new byte[70_000]; // several TLS records each way
            for (int i = 0; i < body.length; i++) {
                body[i] = (byte) (i * 31);
            }
            ws.send(Message.of("echo").with("id", 7).withBody(body), MessageKind.BINARY);
            Message reply = ws.nextMessage(MessageKind.BINARY, WAIT);
            assertEquals(7, reply.id().asInt());
            assertTrue(java.util.Arrays.equals(body, reply.body()), "the body came back changed");
        }
    }

    /** The tls: listener's port (whatever other listeners the config has). */
    private static int port() {
        List<ListenerSpec> specs = server.config().listeners();
        for (int i = 0; i < specs.size(); i++) {
            if (specs.get(i).transport() == ListenerSpec.Transport.TLS) {
                return ((InetSocketAddress) server.localAddresses().get(i)).getPort();
            }
        }
        throw new IllegalStateException("the server has no tls: listener");
    }

    private static URI uri(String scheme, String path) {
        return URI.create(scheme + "://127.0.0.1:" + port() + path);
    }

    private static SSLContext contextTrusting(TestCertificates certs) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(certs.caCert)) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }
}
