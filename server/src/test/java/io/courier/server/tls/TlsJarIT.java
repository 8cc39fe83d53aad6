package io.courier.server.tls;

import io.courier.protocol.Framing;
import io.courier.protocol.Message;
import io.courier.server.support.JarProcess;
import io.courier.server.support.RawClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.regex.Pattern;

import static io.courier.server.support.TestServers.REPLY_TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The packaged jar with a tls: listener: a wrong key stops the start in one sentence; SIGHUP rotates the certificate. */
@Timeout(120)
class TlsJarIT {
    private static final TestCertificates CERTS = TestCertificates.get();
    private static final Duration EXIT = Duration.ofSeconds(30);

    @Test
    void aKeyThatIsNotTheCertificatesStopsTheStartWithOneSentenceAndExitTwo() throws Exception {
        try (JarProcess jar = JarProcess.start("--listen", "tls:127.0.0.1:0", "--tls-cert",
                CERTS.serverChain.toString(), "--tls-key", CERTS.otherKey.toString())) {
            assertEquals(2, jar.awaitExit(EXIT), jar.describe());
            assertTrue(jar.stdout().contains("Cannot start: --tls-key " + CERTS.otherKey + " does not belong to the "
                    + "certificate in --tls-cert " + CERTS.serverChain), jar.describe());
            assertTrue(!jar.stdout().contains("Listening"), jar.describe());
        }
    }

    @Test
    void tlsOptionsWithoutATlsListenerAreAConfigurationError() throws Exception {
        try (JarProcess jar = JarProcess.start("--port", "0", "--tls-cert", CERTS.serverChain.toString(),
                "--tls-key", CERTS.serverKey.toString())) {
            assertEquals(2, jar.awaitExit(EXIT), jar.describe());
            assertEquals("courier: --tls-* options apply to tls: listeners only, and none is configured; add "
                    + "--listen tls:HOST:PORT or drop the TLS options", jar.stderr());
        }
    }

    @Test
    void sighupRotatesTheCertificateForNewConnectionsWhileAnOpenOneKeepsWorking(@TempDir Path dir) throws Exception {
        Path cert = Files.copy(CERTS.serverChain, dir.resolve("fullchain.pem"));
        Path key = Files.copy(CERTS.serverKey, dir.resolve("privkey.pem"));
        try (JarProcess jar = JarProcess.start("--listen", "tls:127.0.0.1:0", "--tls-cert", cert.toString(),
                "--tls-key", key.toString())) {
            int port = Integer.parseInt(jar.awaitAddress("tls").replaceAll(".*:", ""));
            try (SSLSocket before = TlsServers.connect(TlsServers.client(null, null), "127.0.0.1", port);
                 RawClient old = RawClient.wrap(before, Framing.JSON_TEXT)) {
                old.send(Message.of("ping").with("id", 1));
                assertTrue(old.read(REPLY_TIMEOUT).isOk());

                Files.copy(CERTS.rotatedCert, cert, StandardCopyOption.REPLACE_EXISTING);
                Files.copy(CERTS.rotatedKey, key, StandardCopyOption.REPLACE_EXISTING);
                Process hup = new ProcessBuilder("kill", "-HUP", String.valueOf(jar.pid())).start();
                assertEquals(0, hup.waitFor());
                jar.awaitStdout(Pattern.compile("SIGHUP: reloaded the TLS certificate"), EXIT);

                try (SSLSocket after = TlsServers.connect(TlsServers.client(null, null), "127.0.0.1", port)) {
                    assertEquals("CN=localhost,O=Courier Tests Rotated", ((X509Certificate) after.getSession()
                            .getPeerCertificates()[0]).getSubjectX500Principal().getName());
                }
                old.send(Message.of("ping").with("id", 2));
                assertTrue(old.read(REPLY_TIMEOUT).isOk(), "the connection opened before the rotation");
            }
        }
    }
}
