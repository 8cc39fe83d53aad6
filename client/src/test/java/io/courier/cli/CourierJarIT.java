package io.courier.cli;

import io.courier.cli.support.LiveServer;
import io.courier.cli.support.TestFiles;
import io.courier.protocol.Message;
import io.courier.protocol.client.ChatRoom;
import io.courier.protocol.client.MessageClient;
import io.courier.protocol.client.RoomListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.courier.cli.support.LiveServer.TIMEOUT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged client as users run it: {@code java -jar client/target/courier.jar} and the {@code courier}
 * script, child processes talking to a real server on loopback. Needs the jar, so it runs under failsafe after
 * {@code package}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CourierJarIT {
    private static final Path JAR = Path.of("target", "courier.jar").toAbsolutePath();
    private static final Path SCRIPT = Path.of("..", "courier").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    private LiveServer server;
    private final List<Process> processes = new ArrayList<>();

    @BeforeEach
    void startServer() throws Exception {
        assertTrue(Files.isRegularFile(JAR), JAR + " is built by mvn package");
        server = LiveServer.start(dir.resolve("server-files"));
    }

    @AfterEach
    void stop() {
        processes.forEach(Process::destroyForcibly);
        server.close();
    }

    /** What a finished process printed and returned. */
    private record Finished(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout:\n" + out + "--- stderr:\n" + err;
        }
    }

    @Test
    void sendAndGetThroughTheJarRoundTripAFileWithEqualSha256() throws Exception {
        Path original = TestFiles.randomFile(dir.resolve("data.bin"), 4 * 1024 * 1024 + 3, 41);
        Finished sent = courier("send", original.toString(), "--name", "data.bin");
        assertEquals(0, sent.exit(), sent.toString());
        assertTrue(sent.out().contains("sha256 " + TestFiles.sha256(original)), sent.out());
        assertTrue(sent.err().contains("sent data.bin: 100% (4.0 MiB of 4.0 MiB)"), sent.err());
        assertTrue(!sent.err().contains("SLF4J"), "no logging noise: " + sent.err());

        Path copy = dir.resolve("copy.bin");
        Finished got = courier("get", "data.bin", "-o", copy.toString());
        assertEquals(0, got.exit(), got.toString());
        assertEquals(TestFiles.sha256(original), TestFiles.sha256(copy));
    }

    @Test
    void exitCodesAreZeroOneAndTwo() throws Exception {
        Finished ping = courier("ping");
        assertEquals(0, ping.exit(), ping.toString());
        assertTrue(ping.out().startsWith("pong from 127.0.0.1:" + server.port() + ": "), ping.out());
        assertEquals("", ping.err());

        Finished refused = courier("rm", "absent");
        assertEquals(1, refused.exit(), refused.toString());
        assertTrue(refused.err().startsWith("courier: not_found: "), refused.err());

        Finished usage = courier("no-such-command");
        assertEquals(2, usage.exit(), usage.toString());
        assertTrue(usage.err().contains("Unmatched argument"), usage.err());
    }

    @Test
    void theCourierScriptFindsTheJarInClientTarget() throws Exception {
        Finished listed = finish(start(List.of("sh", SCRIPT.toString(), "--port", Integer.toString(server.port()),
                "call", "echo", "{\"via\":\"script\"}")));
        assertEquals(0, listed.exit(), listed.toString());
        assertTrue(listed.out().contains("\"via\":\"script\""), listed.out());
    }

    @Test
    void chatReadsStandardInputFromAPipeAndExitsAtItsEndOnceAcknowledged() throws Exception {
        List<String> heard = new CopyOnWriteArrayList<>();
        try (MessageClient bob = server.client()) {
            ChatRoom.join(bob, "lobby", "bob", new RoomListener() {
                @Override
                public void onMessage(String name, String text, Message event) {
                    heard.add(name + ": " + text);
                }

                @Override
                public void onJoined(String name) {
                    heard.add(name + " joined");
                }

                @Override
                public void onLeft(String name, String reason) {
                    heard.add(name + " " + reason);
                }
            }, TIMEOUT);
            Process ann = start(command("chat", "lobby", "--name", "ann"));
            await().atMost(TIMEOUT).until(() -> heard.contains("ann joined"));
            OutputStream stdin = ann.getOutputStream();
            stdin.write("first\nsecond 🚀\n".getBytes(StandardCharsets.UTF_8));
            stdin.flush();
            await().atMost(TIMEOUT).until(() -> heard.contains("ann: second 🚀"));
            stdin.write("last\n".getBytes(StandardCharsets.UTF_8));
            stdin.close();

            Finished done = finish(ann);
            assertEquals(0, done.exit(), done.toString());
            assertEquals(List.of("ann joined", "ann: first", "ann: second 🚀", "ann: last", "ann left"), heard);
            assertTrue(done.out().startsWith("* joined lobby as ann; members: bob, ann\n"), done.out());
        }
    }

    @Test
    void statsWatchKeepsRefreshingUntilStopped() throws Exception {
        Process watch = start(command("stats", "--watch"));
        StringBuilder out = new StringBuilder();
        Thread reader = new Thread(() -> {
            try {
                byte[] buffer = new byte[4096];
                for (int n; (n = watch.getInputStream().read(buffer)) > 0; ) {
                    synchronized (out) {
                        out.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        });
        reader.start();
        await().atMost(TIMEOUT).until(() -> {
            synchronized (out) {
                return out.toString().contains("  rate ");
            }
        });
        assertTrue(watch.isAlive());
        watch.destroy();
        assertTrue(watch.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
        reader.join(TIMEOUT.toMillis());
    }

    private Finished courier(String... args) throws Exception {
        return finish(start(command(args)));
    }

    private List<String> command(String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", JAR.toString(), "--port", Integer.toString(server.port())));
        command.addAll(List.of(args));
        return command;
    }

    private Process start(List<String> command) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process process = builder.start();
        processes.add(process);
        return process;
    }

    private static Finished finish(Process process) throws Exception {
        // Read standard error on the side: a full pipe would stall the child.
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return e.toString();
            }
        });
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS), "it ends by itself");
        return new Finished(process.exitValue(), out, err.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
    }
}
