package io.courier.server.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/** Runs the TLS clients of other stacks, {@code openssl s_client} and Python's {@code ssl}, as real processes. */
final class ExternalClients {
    private static final Path PYTHON_CLIENT = Path.of("src", "test", "resources", "tls_client.py");

    private ExternalClients() {
    }

    /** What a client process printed (stdout and stderr together) and how it exited. */
    record Outcome(int exitCode, String output) {
    }

    /** {@code openssl s_client -connect 127.0.0.1:PORT ...}, sending {@code input} and then waiting for the close. */
    static Outcome openssl(int port, String input, String... options) throws IOException {
        List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
                "-servername", "localhost", "-ign_eof"));
        command.addAll(List.of(options));
        return run(command, input);
    }

    /** examples-style Python client over TLS: {@code tls_client.py PORT CA FRAMING [CERT KEY]}. */
    static Outcome python(int port, String framing, Path clientCert, Path clientKey) throws IOException {
        List<String> command = new ArrayList<>(List.of("python3", PYTHON_CLIENT.toString(), String.valueOf(port),
                TestCertificates.get().caCert.toString(), framing));
        if (clientCert != null) {
            command.addAll(List.of(clientCert.toString(), clientKey.toString()));
        }
        return run(command, "");
    }

    private static Outcome run(List<String> command, String input) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "cannot read the output: " + e;
            }
        });
        process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail(String.join(" ", command) + " did not finish within 30 s: " + output.getNow("(no output)"));
            }
            return new Outcome(process.exitValue(), output.get(10, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IOException(e);
        }
    }
}
