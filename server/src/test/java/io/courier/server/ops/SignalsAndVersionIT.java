package io.courier.server.ops;

import io.courier.protocol.Message;
import io.courier.protocol.client.MessageClient;
import io.courier.server.metrics.BuildInfo;
import io.courier.server.support.JarProcess;
import io.courier.server.support.UsersFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.jar.JarFile;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SIGHUP reloads the users file and the log level and never stops the server; --version, the manifest and the start-up line name the build's version. */
@Timeout(90)
class SignalsAndVersionIT {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void sighupReloadsTheUsersAndTheLogLevelAndTheServerKeepsServing(@TempDir Path dir) throws Exception {
        Path users = dir.resolve("users.json");
        Files.writeString(users, "{\"users\": [" + UsersFiles.entry("alice", "token-a", "*") + "]}");
        Path config = dir.resolve("server.json");
        Files.writeString(config, "{\"log-level\": \"INFO\", \"users\": \"" + users + "\"}");
        try (JarProcess jar = JarProcess.start("--port", "0", "--config", config.toString())) {
            int port = jar.awaitListeningPort();
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
            try (MessageClient client = MessageClient.connect(address)) {
                assertTrue(client.call(Message.of("ping"), WAIT).isOk());
                assertTrue(!jar.stdout().contains("connected on"), "connection lines are DEBUG: " + jar.stdout());

                Files.writeString(config, "{\"log-level\": \"DEBUG\", \"users\": \"" + users + "\"}");
                Tools.kill("-HUP", jar.pid());
                await().atMost(WAIT).until(() -> jar.stdout().contains("SIGHUP: reloaded the log level")
                        && jar.stdout().contains("SIGHUP: reloaded the users file"));
                try (MessageClient second = MessageClient.connect(address)) {
                    assertTrue(second.call(Message.of("ping"), WAIT).isOk());
                    await().atMost(WAIT).until(() -> jar.stdout().contains("connected on"));
                }

                Files.writeString(users, "{\"users\": [");
                Tools.kill("-HUP", jar.pid());
                await().atMost(WAIT).until(() -> jar.stdout().contains("reloading the users file " + users
                        + " failed, keeping what was loaded before"));
                Message auth = client.call(Message.of("auth").with("token", "token-a"), WAIT);
                assertTrue(auth.isOk(), "the old users still hold after a broken file: " + auth);
            }
            assertTrue(jar.process().isAlive(), "SIGHUP never stops the server");
            jar.process().destroy();
            assertEquals(0, jar.awaitExit(WAIT), jar.describe());
            assertTrue(jar.stdout().contains("INFO  [main] i.c.s.Main - Courier " + BuildInfo.version() + " starting"),
                    jar.stdout());
        }
    }

    /**
     * Under {@code nohup} (or any parent that ignores SIGHUP) the JVM keeps SIGHUP ignored and installs no handler:
     * the server says so at start instead of promising a reload that cannot happen, and SIGHUP does not stop it.
     */
    @Test
    void aProcessStartedWithSighupIgnoredSaysSoAndKeepsServing(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("out.log");
        Path portFile = dir.resolve("port");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder("sh", "-c", "trap '' HUP; exec \"$0\" -jar \"$1\" --port 0 --port-file \"$2\"",
                java, JarProcess.jar().toString(), portFile.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            await().atMost(WAIT).until(() -> Files.exists(portFile) && Files.size(portFile) > 0);
            assertTrue(Files.readString(log).contains("SIGHUP was ignored when this process started (nohup, or a "
                    + "parent that ignores it), and the JVM keeps it ignored: SIGHUP will do nothing"), Files.readString(log));
            Tools.kill("-HUP", process.pid());
            int port = Integer.parseInt(Files.readString(portFile).lines().findFirst().orElseThrow()
                    .replaceAll(".*:", "").trim());
            try (MessageClient client = MessageClient.connect(new InetSocketAddress("127.0.0.1", port))) {
                assertTrue(client.call(Message.of("ping"), WAIT).isOk(), "SIGHUP stopped a server that ignores it");
            }
            assertTrue(process.isAlive());
        } finally {
            process.destroy();
            process.waitFor();
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
