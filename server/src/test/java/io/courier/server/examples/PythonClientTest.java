package io.courier.server.examples;

import io.courier.server.Server;
import io.courier.server.config.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs examples/python/courier_client.py with python3 against a real server and checks what it prints. Python 3 is
 * required: without it this test fails rather than skips, so a missing example client cannot go unnoticed.
 */
@Timeout(90)
class PythonClientTest {
    @TempDir
    Path work;

    @Test
    void pythonExampleClientPingsEchoesUploadsAndChats() throws Exception {
        Path script = Path.of("..", "examples", "python", "courier_client.py").toAbsolutePath().normalize();
        assertTrue(Files.isRegularFile(script), "the example client is missing: " + script);
        byte[] data = new byte[150_000];
        new Random(42).nextBytes(data);
        Path upload = Files.write(work.resolve("photo.jpg"), data);
        Path files = work.resolve("files");
        Path output = work.resolve("python-output.txt");

        ServerConfig config = ServerConfig.builder().port(0).filesDir(files).build();
        try (Server server = Server.builder().config(config).build().start()) {
            Process python = start(List.of("python3", script.toString(), "--host", "127.0.0.1", "--port",
                    String.valueOf(server.port()), "--file", upload.toString()), output);
            if (!python.waitFor(60, TimeUnit.SECONDS)) {
                python.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                fail("the Python client did not finish within 60 s; output:\n" + Files.readString(output));
            }
            String out = Files.readString(output, StandardCharsets.UTF_8);
            assertEquals(0, python.exitValue(), "the Python client failed:\n" + out);

            String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
            assertTrue(out.contains("ping: ok, server time "), out);
            assertTrue(out.contains("echo dict: {\"address\": {\"city\": \"London\"}, \"age\": 36, "
                    + "\"languages\": [\"Python\", \"Java\"], \"name\": \"Ada\"}"), out);
            assertTrue(out.contains("echo list: [1, 2.5, \"three\", null, true, {\"four\": 4}, [\"nested\"]]"), out);
            assertTrue(out.contains("upload: 65536 of 150000 bytes stored"), out);
            assertTrue(out.contains("receipt: {\"complete\": true, \"name\": \"photo.jpg\", \"sha256\": \"" + sha256
                    + "\", \"size\": 150000}"), out);
            assertTrue(out.contains("upload complete: sha256 matches"), out);
            assertTrue(out.contains("download: 150000 bytes, sha256 matches"), out);
            assertTrue(out.contains("room: alice and bob are in lobby"), out);
            assertTrue(out.contains("room: bob received 'hello from Python' from alice (mood cheerful)"), out);
            assertTrue(out.strip().endsWith("done"), out);
            assertArrayEquals(data, Files.readAllBytes(files.resolve("photo.jpg")));
        }
    }

    private static Process start(List<String> command, Path output) throws IOException {
        try {
            return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        } catch (IOException e) {
            throw new AssertionError("python3 is needed to run the Python example client (" + e.getMessage()
                    + "); install Python 3 and put python3 on the PATH", e);
        }
    }
}
