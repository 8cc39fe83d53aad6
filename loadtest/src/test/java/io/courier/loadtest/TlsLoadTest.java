package io.courier.loadtest;

import io.courier.protocol.Framing;
import io.courier.server.Server;
import io.courier.server.config.ServerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The load client over TLS against a real server's tls: listener, with a self-signed certificate made by openssl. */
class TlsLoadTest {
    @TempDir
    static Path dir;
    private static Path cert;
    private static Server server;

    @BeforeAll
    static void startServer() throws Exception {
        SelfSignedCertificate certificate = SelfSignedCertificate.create(dir);
        cert = certificate.cert();
        Path key = certificate.key();
        server = Server.builder().config(ServerConfig.builder().listen("tls:127.0.0.1:0").tlsCert(cert).tlsKey(key)
                .build()).build().start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    private static LoadOptions.Builder options() {
        int port = ((InetSocketAddress) server.localAddresses().get(0)).getPort();
        return LoadOptions.builder().port(port).threads(2).progress(false).grace(Duration.ofSeconds(5))
                .duration(Duration.ofSeconds(30)).tls(true);
    }

    private static Report run(LoadOptions options) throws IOException, InterruptedException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        return new LoadRunner(options, new PrintStream(out, true, StandardCharsets.UTF_8)).run();
    }

    @ParameterizedTest
    @EnumSource(Framing.class)
    void everyRequestIsAnsweredOverTlsTrustingTheGivenCa(Framing framing) throws Exception {
        Report report = run(options().tlsCa(cert).framing(framing).connections(6).depth(8).requests(6_000)
                .bodyBytes(3000).build());
        assertTrue(report.success(), report.toString());
        assertEquals(6_000, report.repliesOk());
        assertEquals(6, report.heldConnections());
        assertTrue(report.bytesSent() > 6_000L * 3000, "TLS records counted: " + report.bytesSent());
    }

    @Test
    void insecureAcceptsTheSelfSignedCertificate() throws Exception {
        Report report = run(options().insecure(true).connections(3).requests(300).build());
        assertTrue(report.success(), report.toString());
    }

    @Test
    void withoutTheCaTheHandshakesFailAndTheRunSaysSo() throws Exception {
        Report report = run(options().connections(2).requests(10).duration(Duration.ofSeconds(3)).build());
        assertFalse(report.success());
        assertEquals(2, report.errors().connectFailures(), report.toString());
        assertEquals(0, report.repliesOk());
    }

    @Test
    void tlsOptionsThatDoNotGoTogetherAreRefused() throws IOException {
        assertEquals("--insecure is about the server's TLS certificate: it needs --tls", assertThrows(
                IllegalArgumentException.class, () -> LoadOptions.builder().insecure(true).build()).getMessage());
        assertEquals("--tls-ca checks the server's certificate and --insecure does not: give one or the other",
                assertThrows(IllegalArgumentException.class,
                        () -> options().tlsCa(cert).insecure(true).build()).getMessage());
        Path notPem = Files.writeString(dir.resolve("not.pem"), "hello");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> options().tlsCa(notPem).build())
                .getMessage().startsWith("--tls-ca " + notPem), "names the option and the file");
    }
}
