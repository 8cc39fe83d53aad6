package io.courier.server.tls;

import io.courier.protocol.Framing;
import io.courier.protocol.Message;
import io.courier.server.Server;
import io.courier.server.support.RawClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;

import static io.courier.server.support.TestServers.REPLY_TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A certificate renewed on disk (what certbot does) and reloaded: the connection that was open keeps working on the
 * old certificate, new connections get the new one, and a broken file keeps the server on the last good one.
 */
class TlsRotationTest {
    private static final TestCertificates CERTS = TestCertificates.get();

    @Test
    void anOpenConnectionSurvivesTheRotationAndNewOnesGetTheNewCertificate(@TempDir Path dir) throws Exception {
        Path cert = Files.copy(CERTS.serverChain, dir.resolve("fullchain.pem"));
        Path key = Files.copy(CERTS.serverKey, dir.resolve("privkey.pem"));
        SSLContext client = TlsServers.client(null, null);
        try (Server server = TlsServers.start(TlsSettings.pem(cert, key))) {
            InetSocketAddress address = TlsServers.address(server);
            try (SSLSocket before = TlsServers.connect(client, address.getHostString(), address.getPort());
                 RawClient old = RawClient.wrap(before, Framing.JSON_TEXT)) {
                ping(old, 1);
                assertEquals("CN=localhost,O=Courier Tests", subject(before));

                Files.copy(CERTS.rotatedCert, cert, StandardCopyOption.REPLACE_EXISTING);
                Files.copy(CERTS.rotatedKey, key, StandardCopyOption.REPLACE_EXISTING);
                server.tls().reload();

                ping(old, 2);
                try (SSLSocket after = TlsServers.connect(client, address.getHostString(), address.getPort());
                     RawClient fresh = RawClient.wrap(after, Framing.JSON_TEXT)) {
                    ping(fresh, 3);
                    assertEquals("CN=localhost,O=Courier Tests Rotated", subject(after));
                }

                Files.writeString(key, "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n");
                TlsConfigException broken = assertThrows(TlsConfigException.class, server.tls()::reload);
                assertTrue(broken.getMessage().startsWith("--tls-key " + key), broken.getMessage());
                try (SSLSocket stillRotated = TlsServers.connect(client, address.getHostString(),
                        address.getPort())) {
                    assertEquals("CN=localhost,O=Courier Tests Rotated", subject(stillRotated));
                }
                ping(old, 4);
            }
        }
    }

    private static void ping(RawClient client, int id) throws IOException {
        client.send(Message.of("ping").with("id", id));
        assertTrue(client.read(REPLY_TIMEOUT).isOk());
    }

    private static String subject(SSLSocket socket) throws IOException {
        return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
    }
}
