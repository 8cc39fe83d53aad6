package io.courier.server.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Real certificates for the TLS tests, made by the {@code openssl} command line the way an operator would: a CA, a
 * server certificate for localhost, 127.0.0.1 and ::1 (subjectAltName), a second one to rotate to, client
 * certificates (alice from the CA, mallory from another CA), a key that belongs to none of them, the same server
 * key in the older PEM forms, encrypted, and as a PKCS#12 keystore. Made once per test JVM in a temporary directory,
 * removed at exit.
 */
public final class TestCertificates {
    public static final String KEYSTORE_PASSWORD = "changeit";

    private static TestCertificates made;

    public final Path dir;
    public final Path caCert;
    public final Path serverCert;
    /** PKCS#8, as openssl req -newkey writes it. */
    public final Path serverKey;
    /** Leaf then CA, like certbot's fullchain.pem. */
    public final Path serverChain;
    public final Path serverKeyPkcs1;
    public final Path serverKeyEncrypted;
    public final Path keystore;
    public final Path ecCert;
    /** SEC1 with its EC PARAMETERS block first, as openssl ecparam -genkey writes it. */
    public final Path ecKeySec1;
    public final Path rotatedCert;
    public final Path rotatedKey;
    public final Path otherKey;
    public final Path aliceCert;
    public final Path aliceKey;
    public final Path otherCaCert;
    public final Path malloryCert;
    public final Path malloryKey;

    private TestCertificates(Path dir) {
        this.dir = dir;
        caCert = dir.resolve("ca.crt");
        serverCert = dir.resolve("server.crt");
        serverKey = dir.resolve("server.key");
        serverChain = dir.resolve("fullchain.pem");
        serverKeyPkcs1 = dir.resolve("server-pkcs1.key");
        serverKeyEncrypted = dir.resolve("server-encrypted.key");
        keystore = dir.resolve("server.p12");
        ecCert = dir.resolve("ec.crt");
        ecKeySec1 = dir.resolve("ec-sec1.key");
        rotatedCert = dir.resolve("rotated.crt");
        rotatedKey = dir.resolve("rotated.key");
        otherKey = dir.resolve("other.key");
        aliceCert = dir.resolve("alice.crt");
        aliceKey = dir.resolve("alice.key");
        otherCaCert = dir.resolve("other-ca.crt");
        malloryCert = dir.resolve("mallory.crt");
        malloryKey = dir.resolve("mallory.key");
    }

    public static synchronized TestCertificates get() {
        if (made == null) {
            try {
                Path dir = Files.createTempDirectory("courier-tls-");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
                TestCertificates certificates = new TestCertificates(dir);
                certificates.make();
                made = certificates;
            } catch (IOException e) {
                throw new IllegalStateException("cannot make test certificates with openssl: " + e.getMessage(), e);
            }
        }
        return made;
    }

    private void make() throws IOException {
        Files.writeString(dir.resolve("server.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1\n"
                + "extendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n", StandardCharsets.US_ASCII);
        Files.writeString(dir.resolve("client.ext"), "extendedKeyUsage=clientAuth\nbasicConstraints=CA:FALSE\n",
                StandardCharsets.US_ASCII);
        ca("ca", "/CN=Courier Test CA");
        ca("other-ca", "/CN=Some Other CA");
        leaf("server", "rsa:2048", "/O=Courier Tests/CN=localhost", "ca", "server.ext");
        leaf("rotated", "ec", "/O=Courier Tests Rotated/CN=localhost", "ca", "server.ext");
        leaf("alice", "ec", "/O=Courier Tests/OU=people/CN=alice", "ca", "client.ext");
        leaf("mallory", "ec", "/O=Elsewhere/CN=mallory", "other-ca", "client.ext");
        Files.writeString(serverChain, Files.readString(serverCert) + Files.readString(caCert));
        openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", otherKey.toString());
        openssl("rsa", "-in", serverKey.toString(), "-traditional", "-out", serverKeyPkcs1.toString());
        openssl("pkcs8", "-topk8", "-in", serverKey.toString(), "-out", serverKeyEncrypted.toString(),
                "-passout", "pass:secret");
        openssl("pkcs12", "-export", "-in", serverCert.toString(), "-inkey", serverKey.toString(), "-certfile",
                caCert.toString(), "-out", keystore.toString(), "-passout", "pass:" + KEYSTORE_PASSWORD);
        openssl("ecparam", "-name", "prime256v1", "-genkey", "-out", ecKeySec1.toString());
        Path csr = dir.resolve("ec.csr");
        openssl("req", "-new", "-key", ecKeySec1.toString(), "-out", csr.toString(), "-subj", "/CN=localhost");
        sign(csr, ecCert, "ca", "server.ext");
    }

    private void ca(String name, String subject) throws IOException {
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", dir.resolve(name + ".key").toString(), "-out", dir.resolve(name + ".crt").toString(),
                "-days", "30", "-subj", subject, "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign");
    }

    private void leaf(String name, String keyType, String subject, String ca, String extensions) throws IOException {
        Path csr = dir.resolve(name + ".csr");
        List<String> args = new ArrayList<>(List.of("req", "-newkey", keyType));
        if (keyType.equals("ec")) {
            args.addAll(List.of("-pkeyopt", "ec_paramgen_curve:P-256"));
        }
        args.addAll(List.of("-nodes", "-keyout", dir.resolve(name + ".key").toString(), "-out", csr.toString(),
                "-subj", subject));
        openssl(args.toArray(new String[0]));
        sign(csr, dir.resolve(name + ".crt"), ca, extensions);
    }

    private void sign(Path csr, Path cert, String ca, String extensions) throws IOException {
        openssl("x509", "-req", "-in", csr.toString(), "-CA", dir.resolve(ca + ".crt").toString(),
                "-CAkey", dir.resolve(ca + ".key").toString(), "-CAcreateserial", "-days", "30",
                "-out", cert.toString(), "-extfile", dir.resolve(extensions).toString());
    }

    /** Runs openssl in the certificate directory; a failure throws with its output. */
    public void openssl(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    public TlsSettings serverSettings() {
        return TlsSettings.pem(serverChain, serverKey);
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory: the OS cleans up what is left
        }
    }
}
