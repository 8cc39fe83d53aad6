package io.courier.server.ops;

import io.courier.protocol.Message;
import io.courier.protocol.client.MessageClient;
import io.courier.server.metrics.BuildInfo;
import io.courier.server.support.JarProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.jar.JarFile;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SIGHUP never stops the server; --version, the manifest and the start-up line name the build's version. */
@Timeout(90)
class SignalsAndVersionIT {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void sighupLogsOneLineAndTheServerKeepsServing() throws Exception {
        try (JarProcess jar = JarProcess.start("--port", "0")) {
            int port = jar.awaitListeningPort();
            try (MessageClient client = MessageClient.connect(new InetSocketAddress("127.0.0.1", port))) {
                for (int i = 1; i <= 2; i++) {
                    Tools.kill("-HUP", jar.pid());
                    int hups = i;
                    await().atMost(WAIT).until(() -> jar.stdout().lines()
                            .filter(line -> line.endsWith("SIGHUP: nothing to reload yet; the server keeps running"))
                            .count() == hups);
                    assertTrue(client.call(Message.of("ping"), WAIT).isOk(), "still serving after SIGHUP " + i);
                }
            }
            assertTrue(jar.process().isAlive());
            jar.process().destroy();
            assertEquals(0, jar.awaitExit(WAIT), jar.describe());
            assertTrue(jar.stdout().contains("INFO  [main] i.c.s.Main - Courier " + BuildInfo.version() + " starting"),
                    jar.stdout());
        }
    }

    @Test
    void versionComesFromTheBuild() throws Exception {
        try (JarProcess jar = JarProcess.start("--version")) {
            assertEquals(0, jar.awaitExit(WAIT), jar.describe());
            assertEquals("courier " + BuildInfo.version(), jar.stdout());
        }
        try (JarFile jar = new JarFile(JarProcess.jar().toFile())) {
            assertEquals(BuildInfo.version(), jar.getManifest().getMainAttributes().getValue("Implementation-Version"));
        }
    }
}
