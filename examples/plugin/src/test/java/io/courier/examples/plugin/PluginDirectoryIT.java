package io.courier.examples.plugin;

import io.courier.protocol.Message;
import io.courier.protocol.client.MessageClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The packaged plugin jar, as a user would deploy it: copied into a directory given to the packaged server
 * ({@code java -jar server.jar --plugins DIR}), or put on the class path next to it. Each case starts the server
 * as a child process on a free port, calls {@code text.upper}, and stops it with SIGTERM.
 */
@Timeout(120)
class PluginDirectoryIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Pattern LISTENING = Pattern.compile("Listening on \\S*:(\\d+) \\(");

    @TempDir
    Path work;

    @Test
    void pluginsDirectoryOfThePackagedServer() throws Exception {
        Path plugins = Files.createDirectories(work.resolve("plugins"));
        Files.copy(pluginJar(), plugins.resolve("upper.jar"));
        runAndCallTextUpper(List.of("-jar", serverJar().toString(), "--plugins", plugins.toString()),
                plugins.resolve("upper.jar").toString());
    }

    @Test
    void classPathOfThePackagedServer() throws Exception {
        String classPath = serverJar() + java.io.File.pathSeparator + pluginJar();
        runAndCallTextUpper(List.of("-cp", classPath, "io.courier.server.Main"), pluginJar().toString());
    }

    private void runAndCallTextUpper(List<String> launch, String expectedOrigin) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(launch);
        command.addAll(List.of("--port", "0", "--files-dir", work.resolve("files").toString()));
        Process server = new ProcessBuilder(command).redirectErrorStream(true).start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        List<String> output = new ArrayList<>();
        Thread reader = new Thread(() -> readLines(server, lines), "server-output");
        reader.setDaemon(true);
        reader.start();
        try {
            int port = -1;
            boolean pluginLogged = false;
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (port < 0) {
                String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null) {
                    fail("the server did not report its port within " + WAIT + "; output:\n" + String.join("\n", output));
                }
                output.add(line);
                pluginLogged |= line.contains("Plugin type 'text.upper' added") && line.contains(expectedOrigin);
                Matcher listening = LISTENING.matcher(line);
                if (listening.find()) {
                    port = Integer.parseInt(listening.group(1));
                }
            }
            assertTrue(pluginLogged, "the start-up log names the plugin and its jar:\n" + String.join("\n", output));
            try (MessageClient client = MessageClient.connect("127.0.0.1", port)) {
                Message reply = client.call(Message.of("text.upper").with("text", "plug me in"), WAIT);
                assertEquals("PLUG ME IN", reply.header().path("text").asText(), reply.toString());
            }
        } finally {
            server.destroy(); // SIGTERM: a graceful stop
            if (!server.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                fail("the server did not stop on SIGTERM");
            }
        }
        assertEquals(0, server.exitValue(), "a graceful stop exits 0");
    }

    private static void readLines(Process process, BlockingQueue<String> lines) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                lines.add(line);
            }
        } catch (IOException e) {
            lines.add("(reading the server's output failed: " + e + ")");
        }
    }

    private static Path pluginJar() {
        return existing("plugin.jar");
    }

    private static Path serverJar() {
        return existing("server.jar");
    }

    private static Path existing(String property) {
        String value = System.getProperty(property);
        if (value == null || !Files.isRegularFile(Path.of(value))) {
            fail("system property " + property + " must name a built jar (run through Maven: mvn verify), got "
                    + value);
        }
        return Path.of(value).toAbsolutePath().normalize();
    }
}
