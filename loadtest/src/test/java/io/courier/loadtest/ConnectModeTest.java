package io.courier.loadtest;

import io.courier.server.Server;
import io.courier.server.config.ServerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Connect mode (new connections, one ping each) against a real server's plain and tls: listeners; and fan-out over
 * TLS, whose blocking connections take the same TLS set-up.
 */
class ConnectModeTest {
    @TempDir
    static Path dir;
    private static SelfSignedCertificate certificate;
    private static Server server;

    @BeforeAll
    static void startServer() throws Exception {
        certificate = SelfSignedCertificate.create(dir);
        server = Server.builder().config(ServerConfig.builder().listen("127.0.0.1:0").listen("tls:127.0.0.1:0")
                .tlsCert(certificate.cert()).tlsKey(certificate.key()).build()).build().start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    private static int port(int listener) {
        return ((InetSocketAddress) server.localAddresses().get(listener)).getPort();
    }

    private static LoadOptions.Builder options(int listener) {
        return LoadOptions.builder().port(port(listener)).newConnections(true).connections(4).progress(false)
                .warmup(Duration.ofMillis(200)).duration(Duration.ofMillis(800)).connectTimeout(Duration.ofSeconds(5));
    }

    private static Report run(LoadOptions options) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Report report = new LoadRunner(options, new PrintStream(out, true, StandardCharsets.UTF_8)).run();
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("new connections/s"), out::toString);
        return report;
    }

    private static void assertEveryConnectionAnswered(Report report) {
        assertTrue(report.success(), report.toString());
        assertEquals(Mode.CONNECT, report.mode());
        assertTrue(report.repliesOk() > 10, report.toString());
        assertEquals(report.requestsSent(), report.repliesOk());
        assertEquals(report.repliesOk(), report.latency().count());
        assertTrue(report.throughputPerSecond() > 0 && report.latency().p50() > 0, report.toString());
        assertTrue(report.warmupOk() > 0, "the warm-up's connections are verified but not measured");
    }

    @Test
    void plaintextConnectionsArePingedOnceEach() throws Exception {
        assertEveryConnectionAnswered(run(options(0).build()));
    }

    @Test
    void tlsConnectionsHandshakeAndArePingedOnceEach() throws Exception {
        assertEveryConnectionAnswered(run(options(1).tls(true).tlsCa(certificate.cert()).build()));
    }

    @Test
    void aFailedHandshakeIsAConnectFailure() throws Exception {
        Report report = run(options(1).tls(true).duration(Duration.ofMillis(300)).build()); // JDK CAs: not trusted
        assertFalse(report.success());
        assertTrue(report.errors().connectFailures() > 0, report.toString());
        assertEquals(0, report.repliesOk());
    }

    @Test
    void fanOutWorksOverTlsToo() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Report report = new LoadRunner(LoadOptions.builder().port(port(1)).tls(true).tlsCa(certificate.cert())
                .fanoutMembers(3).progress(false).warmup(Duration.ZERO).duration(Duration.ofMillis(500)).build(),
                new PrintStream(out, true, StandardCharsets.UTF_8)).run();
        assertTrue(report.success(), report.toString());
        assertTrue(report.repliesOk() >= 3, report.toString());
    }

    @Test
    void connectModeRefusesOptionsItCannotHonour() {
        assertEquals("--new-connections connects as fast as it can: it does not combine with --rate",
                org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                        () -> options(0).rate(10).build()).getMessage());
    }
}
