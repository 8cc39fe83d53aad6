package io.courier.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The certificate and key every TLS server of a run presents, made with the {@code openssl} command line at the
 * start of the suite into {@code OUT/tls/} the way an operator would: one self-signed ECDSA P-256 certificate for
 * {@code localhost} and {@code 127.0.0.1}, its key in PKCS#8 (what {@code openssl req -newkey} writes; Courier and
 * Netty both read it). The clients trust that certificate itself ({@code --tls-ca}), so nothing is verified less
 * than in production. P-256 because it is what certbot issues by default and what TLS deployments mostly run.
 *
 * @param certificate the PEM certificate (also the clients' trust anchor)
 * @param key         the PEM PKCS#8 private key
 */
public record TlsFiles(Path certificate, Path key) {
    private static final long OPENSSL_SECONDS = 30;

    /** Where the files of a run with output directory {@code outDir} are (made or not). */
    public static TlsFiles in(Path outDir) {
        Path dir = outDir.resolve("tls").toAbsolutePath();
        return new TlsFiles(dir.resolve("server.crt"), dir.resolve("server.key"));
    }

    /** Makes the files (again: a fresh key per run) and returns them. */
    public static TlsFiles create(Path outDir) throws IOException, InterruptedException {
        TlsFiles files = in(outDir);
        Files.createDirectories(files.certificate().getParent());
        openssl(files.certificate().getParent(), "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:P-256", "-nodes", "-keyout", files.key().toString(),
                "-out", files.certificate().toString(), "-days", "30", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1");
        return files;
    }

    private static void openssl(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(args));
        Process process;
        try {
            process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException("the TLS scenarios need the openssl command to make a certificate: "
                    + e.getMessage(), e);
        }
        process.getOutputStream().close();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(OPENSSL_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("openssl did not finish within " + OPENSSL_SECONDS + " s: " + command);
        }
        if (process.exitValue() != 0) {
            throw new IOException("openssl failed (exit " + process.exitValue() + "): " + String.join(" ", command)
                    + "\n" + new String(output, StandardCharsets.UTF_8));
        }
    }
}
