package io.courier.server.tls;

import io.courier.protocol.Framing;
import io.courier.protocol.Message;
import io.courier.server.Server;
import io.courier.server.metrics.CloseReason;
import io.courier.server.support.Frames;
import io.courier.server.support.RawClient;
import io.courier.server.support.TestServers;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLEngine;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;

import static io.courier.server.support.TestServers.REPLY_TIMEOUT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Clients that do not speak TLS properly, against a real server: each such connection alone is closed, logged in one
 * line and counted as a TLS handshake failure, while a good TLS client on the same listener is served throughout.
 */
class TlsFailuresTest {
    private static final TestCertificates CERTS = TestCertificates.get();

    @Test
    void plaintextClientOnTheTlsPortGetsAnAlertAndIsClosedAloneLoggedOnce() throws Exception {
        try (LogLines logs = LogLines.capture();
             Server server = TlsServers.start(CERTS.serverSettings());
             RawClient good = TlsServers.connect(TlsServers.client(null, null), TlsServers.address(server),
                     Framing.JSON_TEXT)) {
            byte[] answer = sendRaw(TlsServers.address(server), Frames.utf8("{\"type\":\"ping\",\"id\":1}\n"));
            assertTrue(answer.length >= 7 && answer[0] == 0x15, "a TLS alert record, then the close");
            await().atMost(REPLY_TIMEOUT).until(() -> server.stats().tls().handshakeFailures() == 1);
            assertEquals(1L, server.stats().closes().get(CloseReason.TLS_FAILED));
            List<String> failure = logs.containing("TLS failed");
            assertEquals(1, failure.size(), logs.all().toString());
            assertTrue(failure.get(0).startsWith("INFO "), failure.get(0));
            assertTrue(logs.all().stream().noneMatch(line -> line.startsWith("WARN") || line.startsWith("ERROR")),
                    logs.all().toString());
            stillServed(good);
        }
    }

    @Test
    void garbageRecordsCloseThatConnectionAtOnceNotAtTheTimeout() throws Exception {
        try (Server server = TestServers.start(TlsServers.config(CERTS.serverSettings())
                .frameTimeout(Duration.ofMinutes(5)).build());
             RawClient good = TlsServers.connect(TlsServers.client(null, null), TlsServers.address(server),
                     Framing.JSON_TEXT)) {
            InetSocketAddress address = TlsServers.address(server);
            byte[] handshakeGarbage = Frames.concat(new byte[] {0x16, 0x03, 0x01, 0x00, 0x20},
                    Frames.randomBytes(32, 1));
            sendRaw(address, handshakeGarbage);
            sendRaw(address, new byte[] {0x17, 0x03, 0x03, 0x00, 0x10, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13});
            sendRaw(address, Frames.concat(new byte[] {0x16, 0x03, 0x03, (byte) 0xFF, (byte) 0xFF},
                    Frames.randomBytes(40_000, 2)));
            sendRaw(address, Frames.randomBytes(1 << 20, 3));
            await().atMost(REPLY_TIMEOUT).until(() -> server.stats().tls().handshakeFailures() == 4);
            assertEquals(4L, server.stats().closes().get(CloseReason.TLS_FAILED));
            stillServed(good);
            assertEquals(1, server.stats().tls().handshakes());
        }
    }

    @Test
    void handshakesThatNeverFinishAreClosedByTheFrameTimeoutAndAFinishedOneIsNot() throws Exception {
        try (LogLines logs = LogLines.capture();
             Server server = TestServers.start(TlsServers.config(CERTS.serverSettings())
                     .frameTimeout(Duration.ofMillis(600)).build());
             RawClient good = TlsServers.connect(TlsServers.client(null, null), TlsServers.address(server),
                     Framing.JSON_TEXT)) {
            InetSocketAddress address = TlsServers.address(server);
            byte[] hello = clientHello();
            try (Socket silent = new Socket(address.getAddress(), address.getPort());
                 Socket halfHello = new Socket(address.getAddress(), address.getPort())) {
                halfHello.getOutputStream().write(hello, 0, hello.length / 2);
                halfHello.getOutputStream().flush();
                assertEquals(-1, readAll(silent).length == 0 ? -1 : 0, "closed without a byte");
                assertEquals(0, readAll(halfHello).length, "closed without a byte");
            }
            assertEquals(2L, server.stats().closes().get(CloseReason.TIMEOUT));
            assertEquals(1, server.stats().tls().handshakeFailures(), "the client that sent a half hello");
            assertEquals(2, logs.containing("the handshake did not finish within frame-timeout (600 ms)").size(),
                    logs.all().toString());
            stillServed(good); // connected before them, idle past the frame timeout, its handshake long done
        }
    }

    @Test
    void tls11IsRefusedWithAProtocolVersionAlert() throws Exception {
        try (Server server = TlsServers.start(CERTS.serverSettings())) {
            ExternalClients.Outcome outcome = ExternalClients.openssl(TlsServers.address(server).getPort(), "",
                    "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0", "-CAfile", CERTS.caCert.toString());
            assertNotEquals(0, outcome.exitCode(), outcome.output());
            assertTrue(outcome.output().contains("alert protocol version"), outcome.output());
            await().atMost(REPLY_TIMEOUT).until(() -> server.stats().tls().handshakeFailures() == 1);
            assertEquals(0, server.stats().tls().handshakes());
        }
    }

    private static void stillServed(RawClient client) throws IOException {
        client.send(Message.of("ping").with("id", 99));
        assertTrue(client.read(REPLY_TIMEOUT).isOk());
    }

    /** Sends bytes on a plain socket and returns all the server sends back before it closes. */
    private static byte[] sendRaw(InetSocketAddress address, byte[] bytes) throws IOException {
        try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
            try {
                socket.getOutputStream().write(bytes);
            } catch (SocketException e) {
                // the server may close while a big blast is still being written
            }
            return readAll(socket);
        }
    }

    /** Everything until the server closes (a reset after a garbage blast counts as closed), within the timeout. */
    private static byte[] readAll(Socket socket) throws IOException {
        socket.setSoTimeout((int) REPLY_TIMEOUT.toMillis());
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[4096];
        try {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                received.write(buffer, 0, n);
            }
        } catch (SocketException e) {
            // reset: the server closed with our garbage unread, which is all this needs
        }
        return received.toByteArray();
    }

    /** A real ClientHello, as Java's client engine writes it. */
    private static byte[] clientHello() throws Exception {
        SSLEngine engine = TlsServers.client(null, null).createSSLEngine("localhost", 1);
        engine.setUseClientMode(true);
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.allocate(0), out);
        out.flip();
        byte[] hello = new byte[out.remaining()];
        out.get(hello);
        return hello;
    }
}
