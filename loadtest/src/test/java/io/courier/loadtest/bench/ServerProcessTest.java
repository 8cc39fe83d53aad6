package io.courier.loadtest.bench;

import io.courier.protocol.Message;
import io.courier.protocol.client.MessageClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each server really started in its own JVM, as the suite starts it, found by its "Listening on" line. */
class ServerProcessTest {
    /** The test classpath: the servers, the peers and their dependencies. */
    private static final String CLASSPATH = System.getProperty("surefire.test.class.path",
            System.getProperty("java.class.path"));

    @TempDir
    Path dir;

    private ServerProcess server;

    @AfterEach
    void stopServer() throws InterruptedException {
        if (server != null) {
            server.stop();
        }
    }

    private BenchConfig config() {
        return BenchConfig.from(Map.of("pin", "false", "jvm", "-Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1",
                "out", dir.toString()));
    }

    @Test
    void theListeningLineOfEveryServerGivesThePort() {
        assertEquals(OptionalInt.of(36569), ServerProcess.listeningPort("Listening on /127.0.0.1:36569"));
        assertEquals(OptionalInt.of(6666), ServerProcess.listeningPort(
                "2026-01-01T00:00:00.000Z INFO  [main] Server - Listening on /127.0.0.1:6666 (binary frames and JSON "
                        + "text); types: [echo, ping, types]"));
        assertEquals(OptionalInt.of(39969), ServerProcess.listeningPort(
                "INFO  i.c.s.Server - Listening on /127.0.0.1:39969 (tcp:127.0.0.1:0; binary frames and JSON text)"));
        assertEquals(OptionalInt.of(80), ServerProcess.listeningPort("Listening on localhost/127.0.0.1:80"));
        assertTrue(ServerProcess.listeningPort("Listening for clients").isEmpty());
    }

    @ParameterizedTest
    @EnumSource(ServerKind.class)
    void eachServerStartsInItsOwnJvmAnswersAndStopsOnSigterm(ServerKind kind) throws Exception {
        List<String> command = ServerProcess.command(kind, config(), CLASSPATH, dir);
        server = ServerProcess.start(kind, command, dir.resolve(kind.label() + ".log"), Duration.ofSeconds(20));

        try (MessageClient client = MessageClient.connect("127.0.0.1", server.port())) {
            Message reply = client.call(Message.of("echo").with("n", 1).withBody(new byte[] {1, 2, 3}),
                    Duration.ofSeconds(5));
            assertTrue(reply.isOk(), reply.toString());
            assertEquals(3, reply.bodyLength());
        }
        int code = server.stop();
        server = null;

        assertTrue(code == 0 || code == 143, "exit code after SIGTERM: " + code);
        assertTrue(Files.readString(dir.resolve(kind.label() + ".log")).contains("Listening on"));
    }

    @Test
    void memoryIsSampledAfterAFullGcFromOutsideTheProcess() throws Exception {
        List<String> command = ServerProcess.command(ServerKind.NETTY, config(), CLASSPATH, dir);
        server = ServerProcess.start(ServerKind.NETTY, command, dir.resolve("netty.log"), Duration.ofSeconds(20));

        MemoryProbe.Sample sample = MemoryProbe.besides(config().java()).sampleAfterFullGc(server.pid());

        assertTrue(sample.heapUsedBytes() > 0 && sample.heapUsedBytes() < 128L << 20, "heap " + sample);
        assertTrue(sample.rssBytes() > sample.heapUsedBytes(), "rss " + sample);
    }

    @Test
    void aServerThatExitsBeforeListeningIsReportedWithItsOutput() {
        BenchConfig config = BenchConfig.from(Map.of("pin", "false", "jvm", "-Xmx64m", "out", dir.toString()));
        List<String> command = List.of(config.java().toString(), "-cp", CLASSPATH,
                "io.courier.loadtest.peer.NettyPeerServer", "--port", "not-a-port");

        IOException e = assertThrows(IOException.class, () -> ServerProcess.start(ServerKind.NETTY, command,
                dir.resolve("bad.log"), Duration.ofSeconds(20)));

        assertTrue(e.getMessage().contains("exited with code 2"), e.getMessage());
        assertTrue(e.getMessage().contains("--port must be 0..65535"), e.getMessage());
        assertFalse(e.getMessage().isEmpty());
    }
}
