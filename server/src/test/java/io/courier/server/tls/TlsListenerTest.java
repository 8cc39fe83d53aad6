package io.courier.server.tls;

import io.courier.protocol.Framing;
import io.courier.protocol.Message;
import io.courier.server.Server;
import io.courier.server.metrics.CloseReason;
import io.courier.server.support.Frames;
import io.courier.server.support.RawClient;
import io.courier.server.support.TestServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Base64;

import static io.courier.server.support.TestServers.REPLY_TIMEOUT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** tls: listeners served to Java's own TLS client (SSLSocket): both framings, IPv4, IPv6 and dual stack, shutdown. */
class TlsListenerTest {
    private static final TestCertificates CERTS = TestCertificates.get();

    @ParameterizedTest
    @EnumSource(Framing.class)
    void bothFramingsWorkInsideTls(Framing framing) throws Exception {
        try (Server server = TlsServers.start(CERTS.serverSettings());
             RawClient client = TlsServers.connect(TlsServers.client(null, null), TlsServers.address(server),
                     framing)) {
            byte[] body = Frames.randomBytes(200_000, 7);
            Message echo = Message.of("echo").with("id", 2).with("text", "hello");
            client.send(Message.of("ping").with("id", 1)).send(framing == Framing.BINARY ? echo.withBody(body) : echo);
            java.util.List<Message> replies = client.read(2, REPLY_TIMEOUT);
            assertTrue(replies.get(0).isOk(), replies.get(0).toString());
            assertEquals("hello", replies.get(1).header().get("text").asText());
            if (framing == Framing.BINARY) {
                assertArrayEquals(body, replies.get(1).body());
            }
            client.send(Message.of("whoami").with("id", 3));
            Message whoami = client.read(REPLY_TIMEOUT);
            assertEquals("tls", whoami.header().get("transport").asText());
            assertTrue(whoami.header().get("identity").isNull());
        }
    }

    @Test
    void manyRequestsInOneGoAndLargeRepliesCrossRecordsIntact() throws Exception {
        try (Server server = TlsServers.start(CERTS.serverSettings());
             RawClient client = TlsServers.connect(TlsServers.client(null, null), TlsServers.address(server),
                     Framing.JSON_TEXT)) {
            client.write(Frames.echoes(2000, Framing.JSON_TEXT));
            java.util.List<Message> replies = client.read(2000, REPLY_TIMEOUT);
            for (int i = 0; i < replies.size(); i++) {
                assertEquals(i, replies.get(i).id().asLong());
            }
            String big = Base64.getEncoder().encodeToString(Frames.randomBytes(300_000, 8));
            client.send(Message.of("echo").with("id", 5000).with("text", big));
            assertEquals(big, client.read(REPLY_TIMEOUT).header().get("text").asText());
        }
    }

    @Test
    void ipv4Ipv6AndDualStackListeners() throws Exception {
        TlsSettings tls = CERTS.serverSettings();
        // [::] is every interface (dual stack needs it); like ListenerTransportsTest, only loopback clients use it.
        try (Server server = TestServers.start(TlsServers.config(tls, "127.0.0.1", "::1", "::").allowAnonymous(true)
                .build())) {
            SSLContext context = TlsServers.client(null, null);
            pingOver(context, "127.0.0.1", TlsServers.address(server, 0).getPort());
            pingOver(context, "::1", TlsServers.address(server, 1).getPort());
            pingOver(context, "127.0.0.1", TlsServers.address(server, 2).getPort());
            pingOver(context, "::1", TlsServers.address(server, 2).getPort());
            pingOver(context, "localhost", TlsServers.address(server, 0).getPort());
            assertEquals(5, server.stats().tls().handshakes());
        }
    }

    private static void pingOver(SSLContext context, String host, int port) throws Exception {
        try (SSLSocket socket = TlsServers.connect(context, host, port);
             RawClient client = RawClient.wrap(socket, Framing.JSON_TEXT)) {
            assertEquals("TLSv1.3", socket.getSession().getProtocol());
            client.send(Message.of("ping").with("id", 1));
            assertTrue(client.read(REPLY_TIMEOUT).isOk());
        }
    }

    @Test
    void tls12ClientsAreServedToo() throws Exception {
        try (Server server = TlsServers.start(CERTS.serverSettings())) {
            InetSocketAddress address = TlsServers.address(server);
            SSLSocket socket = TlsServers.connect(TlsServers.client(null, null), address.getHostString(),
                    address.getPort());
            socket.close();
            SSLSocket tls12 = (SSLSocket) TlsServers.client(null, null).getSocketFactory()
                    .createSocket(address.getHostString(), address.getPort());
            tls12.setEnabledProtocols(new String[] {"TLSv1.2"});
            tls12.setSoTimeout(10_000);
            try (RawClient client = RawClient.wrap(tls12, Framing.JSON_TEXT)) {
                client.send(Message.of("ping").with("id", 1));
                assertTrue(client.read(REPLY_TIMEOUT).isOk());
                assertEquals("TLSv1.2", tls12.getSession().getProtocol());
            }
        }
    }

    @Test
    void shutdownSendsTheClosingNoticeInsideTlsThenClosesCleanly() throws Exception {
        Server server = TlsServers.start(CERTS.serverSettings());
        try (RawClient client = TlsServers.connect(TlsServers.client(null, null), TlsServers.address(server),
                Framing.JSON_TEXT)) {
            client.send(Message.of("ping").with("id", 1));
            assertTrue(client.read(REPLY_TIMEOUT).isOk());
            Thread stopper = new Thread(server::close);
            stopper.start();
            java.util.List<Message> last = client.readUntilEof(REPLY_TIMEOUT);
            assertEquals(1, last.size(), last.toString());
            assertEquals("server.closing", last.get(0).type());
            stopper.join(REPLY_TIMEOUT.toMillis());
        } finally {
            server.close();
        }
        assertEquals(1L, server.stats().closes().get(CloseReason.SHUTDOWN));
    }

    @Test
    void atTheConnectionLimitATlsClientIsClosedAtOnceAndTheOthersStayServed() throws Exception {
        try (Server server = TestServers.start(TlsServers.config(CERTS.serverSettings()).maxConnections(1).build());
             RawClient first = TlsServers.connect(TlsServers.client(null, null), TlsServers.address(server),
                     Framing.JSON_TEXT)) {
            first.send(Message.of("ping").with("id", 1));
            assertTrue(first.read(REPLY_TIMEOUT).isOk());
            InetSocketAddress address = TlsServers.address(server);
            try (java.net.Socket second = new java.net.Socket(address.getAddress(), address.getPort())) {
                second.setSoTimeout((int) REPLY_TIMEOUT.toMillis());
                assertEquals(-1, second.getInputStream().read(), "closed without a byte: no TLS to say busy in");
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> server.stats().connectionsRejected() == 1);
            first.send(Message.of("ping").with("id", 2));
            assertTrue(first.read(REPLY_TIMEOUT).isOk());
        }
    }
}
