package io.courier.server;

import io.courier.protocol.Framing;
import io.courier.protocol.Message;
import io.courier.protocol.client.MessageClient;
import io.courier.server.support.Frames;
import io.courier.server.support.PortFiles;
import io.courier.server.support.RawClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.courier.server.support.TestServers.REPLY_TIMEOUT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged server as users run it: {@code java -jar server/target/server.jar}, a child process on port 0,
 * stopped with SIGTERM. Needs the jar, so it runs under failsafe after {@code package}.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ServerJarIT {

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        for (Process process : processes) {
            process.destroyForcibly();
        }
    }

    @Test
    void sigtermDeliversRepliesAlreadyProducedThenExitsZero() throws Exception {
        Started server = start("--port", "0", "--drain-timeout", "10s");
        try (MessageClient idle = MessageClient.connect(new InetSocketAddress("127.0.0.1", server.port));
             MessageClient text = MessageClient.connect(new InetSocketAddress("127.0.0.1", server.port),
                     Framing.JSON_TEXT, REPLY_TIMEOUT);
             RawClient pipeliner = RawClient.connect(server.port, Framing.BINARY)) {
            // The jar serves both framings.
            assertTrue(idle.call(Message.of("ping"), REPLY_TIMEOUT).isOk());
            assertEquals("你好 🚀", text.call(Frames.echo(1, "你好 🚀"), REPLY_TIMEOUT).header().path("text").asText());

            // A client pipelines 16 MiB of echo requests and does not read: the server produces replies until its
            // queue passes the high watermark, with more in kernel buffers behind them.
            int count = 64;
            byte[] body = Frames.randomBytes(256 * 1024, 3);
            byte[][] frames = new byte[count][];
            for (int i = 0; i < count; i++) {
                frames[i] = Frames.binary("{\"type\":\"echo\",\"id\":" + i + "}", body);
            }
            CompletableFuture<Void> writing = pipeliner.writeInBackground(Frames.concat(frames));
            AtomicInteger lastAvailable = new AtomicInteger(-1);
            await().atMost(REPLY_TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> {
                int available = pipeliner.socket().getInputStream().available();
                boolean settled = available > 0 && available == lastAvailable.get();
                lastAvailable.set(available);
                return settled; // our receive buffer is full: the rest of what was produced waits on the server
            });
            int availableAtSigterm = lastAvailable.get();

            // SIGTERM. Through the ProcessHandle: Process.destroy() sends the same signal but also closes our end
            // of the child's output, and the test wants to read what the server logs while it stops.
            assertTrue(server.process.toHandle().destroy(), "SIGTERM could not be sent");

            List<Message> everything = pipeliner.readUntilEof(Duration.ofSeconds(30));
            // Every reply produced before SIGTERM, then the shutdown notice, then the end of the stream.
            Message last = everything.get(everything.size() - 1);
            assertEquals("server.closing", last.type(), "the last message is the shutdown notice");
            List<Message> replies = everything.subList(0, everything.size() - 1);
            long received = 0;
            for (int i = 0; i < replies.size(); i++) {
                assertEquals(i, replies.get(i).id().asLong(), "replies in order, none missing");
                assertArrayEquals(body, replies.get(i).body(), "reply " + i + " intact");
                received += Frames.encode(replies.get(i), Framing.BINARY).length;
            }
            assertTrue(received > availableAtSigterm, "replies queued on the server at SIGTERM were delivered too: "
                    + replies.size() + " replies (" + received + " bytes), " + availableAtSigterm
                    + " bytes were already here");
            writing.handle((written, refused) -> null).get(REPLY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            // Idle connections are closed too, cleanly: their clients see the end of the stream.
            await().atMost(REPLY_TIMEOUT).until(() -> !idle.isOpen() && !text.isOpen());
        }
        // Our clients have closed their side as well: nothing keeps the server from exiting.
        assertTrue(server.process.waitFor(15, TimeUnit.SECONDS),
                "the server exits within seconds of SIGTERM; output:\n" + server.output());
        assertEquals(0, server.process.exitValue(), "a graceful stop exits 0; output:\n" + server.output());
        server.outputEnded.get(REPLY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertTrue(server.output().contains("SIGTERM received"), server.output());
    }

    @Test
    void wrongCommandLineExitsTwoWithASentenceAndHelpExitsZero() throws Exception {
        Process wrong = launch("--port", "not-a-number");
        assertTrue(wrong.waitFor(30, TimeUnit.SECONDS), "a usage error exits at once");
        String said = new String(wrong.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(2, wrong.exitValue(), said);
        assertTrue(said.contains("--port") && said.contains("not-a-number"), "names the option and value: " + said);

        Process help = launch("--help");
        assertTrue(help.waitFor(30, TimeUnit.SECONDS));
        String text = new String(help.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, help.exitValue(), text);
        for (String option : List.of("--port", "--max-body-bytes", "--write-high-watermark", "--drain-timeout")) {
            assertTrue(text.contains(option), "--help lists " + option + ":\n" + text);
        }
    }

    /** A running jar and everything it has printed so far. */
    private static final class Started {
        final Process process;
        final int port;
        final List<String> lines;
        /** Completes once every line the process printed has been read. */
        final CompletableFuture<Void> outputEnded;

        Started(Process process, int port, List<String> lines, CompletableFuture<Void> outputEnded) {
            this.process = process;
            this.port = port;
            this.lines = lines;
            this.outputEnded = outputEnded;
        }

        String output() {
            return String.join("\n", lines);
        }
    }

    /** Starts the jar and waits for its port file (port 0: the file says which port it got). */
    private Started start(String... args) throws Exception {
        Path portFile = PortFiles.newPortFile();
        List<String> withPortFile = new ArrayList<>(List.of(args));
        withPortFile.addAll(List.of("--port-file", portFile.toString()));
        Process process = launch(withPortFile.toArray(new String[0]));
        List<String> lines = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> outputEnded = new CompletableFuture<>();
        Thread pump = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // the process ended
            }
            outputEnded.complete(null);
        }, "server-output");
        pump.setDaemon(true);
        pump.start();
        try {
            return new Started(process, PortFiles.awaitTcpPort(portFile, process, Duration.ofSeconds(30)), lines,
                    outputEnded);
        } catch (RuntimeException e) {
            throw new AssertionError("the server did not start; output:\n" + String.join("\n", lines), e);
        }
    }

    private Process launch(String... args) throws IOException {
        Path jar = Path.of("target", "server.jar").toAbsolutePath();
        assertTrue(Files.isRegularFile(jar), jar + " is missing: run the package phase first (mvn verify)");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        processes.add(process);
        return process;
    }
}
