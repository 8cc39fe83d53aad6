package io.courier.cli;

import io.courier.cli.support.Cli;
import io.courier.protocol.Framing;
import io.courier.protocol.Limits;
import io.courier.protocol.Message;
import io.courier.protocol.MessageDecoder;
import io.courier.protocol.ProtocolException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client's TLS options against a stand-in TLS endpoint (the JDK's SSLServerSocket answering pings in binary
 * frames): the Courier server does not speak TLS yet, so this checks the client's half only, certificate and host
 * name checks included.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TlsOptionsTest {
    private static final String PASSWORD = "changeit";

    @TempDir
    Path dir;

    private SSLServerSocket listening;

    @AfterEach
    void stop() throws IOException {
        if (listening != null) {
            listening.close();
        }
    }

    @Test
    void tlsCaTrustsThatCertificateAndInsecureTrustsAnyWhileTheJdkDefaultsRefuseASelfSignedOne() throws Exception {
        Path keys = keyPair("good", "SAN=ip:127.0.0.1");
        Path ca = exportCertificate(keys, "good");
        int port = serve(keys);

        Cli.Result trusted = Cli.run(port, "--tls-ca", ca.toString(), "ping");
        assertEquals(0, trusted.exit(), trusted.toString());
        assertTrue(trusted.out().startsWith("pong from 127.0.0.1:" + port), trusted.out());

        Cli.Result insecure = Cli.run(port, "--insecure", "ping");
        assertEquals(0, insecure.exit(), insecure.toString());

        Cli.Result defaults = Cli.run(port, "--tls", "ping");
        assertEquals(1, defaults.exit(), defaults.toString());
        assertTrue(defaults.err().startsWith("courier: TLS with 127.0.0.1:" + port + " failed: "), defaults.err());
    }

    @Test
    void aCertificateForAnotherHostIsRefusedEvenWhenItsCaIsTrusted() throws Exception {
        Path keys = keyPair("elsewhere", "SAN=dns:elsewhere.example");
        Path ca = exportCertificate(keys, "elsewhere");
        int port = serve(keys);

        Cli.Result result = Cli.run(port, "--tls-ca", ca.toString(), "ping");
        assertEquals(1, result.exit(), result.toString());
        assertTrue(result.err().startsWith("courier: TLS with 127.0.0.1:" + port + " failed: ")
                && result.err().contains("127.0.0.1"), result.err());

        assertEquals(0, Cli.run(port, "--insecure", "ping").exit(), "--insecure skips the host name check too");
    }

    @Test
    void aCaFileThatHoldsNoCertificateIsExitOne() throws Exception {
        Path notPem = Files.writeString(dir.resolve("empty.pem"), "");
        Cli.Result result = Cli.run(1, "--tls-ca", notPem.toString(), "ping");
        assertEquals(1, result.exit(), result.toString());
        assertTrue(result.err().startsWith("courier: "), result.err());
    }

    private Path keyPair(String alias, String subjectAlternativeName) throws Exception {
        Path store = dir.resolve(alias + ".p12");
        keytool("-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + alias,
                "-ext", subjectAlternativeName, "-validity", "2", "-keystore", store.toString(),
                "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD);
        return store;
    }

    private Path exportCertificate(Path store, String alias) throws Exception {
        Path pem = dir.resolve(alias + ".pem");
        keytool("-exportcert", "-rfc", "-alias", alias, "-keystore", store.toString(), "-storepass", PASSWORD,
                "-file", pem.toString());
        return pem;
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), output);
    }

    /** Accepts TLS connections on 127.0.0.1 and answers each request with an ok reply (a ping gets a time). */
    private int serve(Path keys) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keys)) {
            store.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(store, PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), null, null);
        listening = (SSLServerSocket) context.getServerSocketFactory()
                .createServerSocket(0, 16, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!listening.isClosed()) {
                try {
                    Socket socket = listening.accept();
                    Thread connection = new Thread(() -> answer(socket), "tls-stand-in-connection");
                    connection.setDaemon(true);
                    connection.start();
                } catch (IOException e) {
                    return; // closed at the end of the test
                }
            }
        }, "tls-stand-in");
        acceptor.setDaemon(true);
        acceptor.start();
        return listening.getLocalPort();
    }

    private static void answer(Socket socket) {
        try (socket) {
            MessageDecoder decoder = Framing.BINARY.newDecoder(Limits.DEFAULTS);
            OutputStream out = socket.getOutputStream();
            byte[] buffer = new byte[16 * 1024];
            for (int n; (n = socket.getInputStream().read(buffer)) > 0; ) {
                decoder.decode(ByteBuffer.wrap(buffer, 0, n), new MessageDecoder.Sink() {
                    @Override
                    public void onMessage(Message request) {
                        ByteBuffer reply = Framing.BINARY.encoder().encode(
                                Message.replyTo(request).with("time", System.currentTimeMillis()));
                        try {
                            out.write(reply.array(), reply.arrayOffset() + reply.position(), reply.remaining());
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }

                    @Override
                    public void onError(ProtocolException error) {
                    }
                });
            }
        } catch (IOException | ProtocolException | RuntimeException e) {
            // a failed handshake or a closed client: nothing to answer
        }
    }
}
