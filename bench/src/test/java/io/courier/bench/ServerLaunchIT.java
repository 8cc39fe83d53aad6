package io.courier.bench;

import io.courier.harness.MemoryProbe;
import io.courier.harness.ServerProcess;
import io.courier.protocol.Message;
import io.courier.protocol.client.MessageClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each server started as the suite starts it: Courier from {@code server/target/server.jar}, the peers from
 * {@code bench/target/bench.jar}, each in its own JVM on port 0, found through its port file.
 */
class ServerLaunchIT {
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
                "out", dir.toString(), "jar", "target/bench.jar", "server-jar", "../server/target/server.jar"));
    }

    private ServerProcess start(ServerKind kind) throws IOException, InterruptedException {
        Path portFile = dir.resolve(kind.label() + ".port");
        return ServerProcess.start(kind.label(), kind.command(config(), portFile), portFile,
                dir.resolve(kind.label() + ".log"), Duration.ofSeconds(30));
    }

    @ParameterizedTest
    // Redis and NATS are no JVMs with port files: WireScenariosIT starts them.
    @EnumSource(value = ServerKind.class, mode = EnumSource.Mode.EXCLUDE, names = {"REDIS", "NATS"})
    void eachServerStartsFromItsJarAnswersOnThePortItWroteAndStopsOnSigterm(ServerKind kind) throws Exception {
        server = start(kind);

        assertEquals("tcp", server.listeners().get(0).kind());
        assertEquals("127.0.0.1", server.address().getAddress().getHostAddress());
        try (MessageClient client = MessageClient.connect("127.0.0.1", server.port())) {
            Message reply = client.call(Message.of("echo").with("n", 1).withBody(new byte[] {1, 2, 3}),
                    Duration.ofSeconds(5));
            assertTrue(reply.isOk(), reply.toString());
            assertEquals(3, reply.bodyLength());
        }
        int code = server.stop();
        server = null;

        assertTrue(code == 0 || code == 143, "exit code after SIGTERM: " + code);
    }

    @Test
    void memoryIsSampledAfterAFullGcFromOutsideTheProcess() throws Exception {
        server = start(ServerKind.NETTY);

        MemoryProbe.Sample sample = MemoryProbe.besides(config().java()).sampleAfterFullGc(server.pid());

        assertTrue(sample.heapUsedBytes() > 0 && sample.heapUsedBytes() < 128L << 20, "heap " + sample);
        assertTrue(sample.rssBytes() > sample.heapUsedBytes(), "rss " + sample);
    }

    @Test
    void aServerThatExitsBeforeWritingItsPortFileIsReportedWithItsOutput() {
        BenchConfig config = config();
        Path portFile = dir.resolve("bad.port");
        List<String> command = List.of(config.java().toString(), "-jar", config.serverJar().toString(),
                "--port", "0", "--listen", "tcp:127.0.0.1:0", "--port-file", portFile.toString());

        IOException e = assertThrows(IOException.class, () -> ServerProcess.start("courier", command, portFile,
                dir.resolve("bad.log"), Duration.ofSeconds(30)));

        assertTrue(e.getMessage().contains("exited with code 2 before writing"), e.getMessage());
        assertTrue(e.getMessage().contains("--port"), e.getMessage());
    }

    @Test
    void aPeerWithABadPortSaysSoAndExitsTwo() {
        BenchConfig config = config();
        Path portFile = dir.resolve("bad.port");
        List<String> command = List.of(config.java().toString(), "-cp", config.jar().toString(),
                "io.courier.bench.peer.NettyPeerServer", "--port", "not-a-port", "--port-file", portFile.toString());

        IOException e = assertThrows(IOException.class, () -> ServerProcess.start("netty", command, portFile,
                dir.resolve("bad.log"), Duration.ofSeconds(30)));

        assertTrue(e.getMessage().contains("exited with code 2"), e.getMessage());
        assertTrue(e.getMessage().contains("--port must be 0..65535"), e.getMessage());
    }
}
