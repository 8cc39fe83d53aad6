package io.courier.cli;

import io.courier.protocol.Framing;
import io.courier.protocol.Limits;
import io.courier.protocol.Message;
import io.courier.protocol.client.MessageClient;
import io.courier.protocol.units.Quantities;
import picocli.CommandLine.Option;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

/** Where the server is and how to talk to it: the options every command shares. */
final class ConnectionOptions {
    @Option(names = "--host", paramLabel = "HOST", defaultValue = "127.0.0.1",
            description = "Server address (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "6666",
            description = "Server port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30s",
            converter = DurationConverter.class,
            description = "Longest wait to connect and for any one reply (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--tls", description = "Connect over TLS, trusting the JDK's certificate authorities.")
    boolean tls;

    @Option(names = "--tls-ca", paramLabel = "FILE",
            description = "Connect over TLS, trusting the CA certificates in this PEM file.")
    Path tlsCa;

    @Option(names = "--insecure",
            description = "Connect over TLS without checking the server's certificate or host name (testing only).")
    boolean insecure;

    @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:COURIER_TOKEN}",
            description = "Authenticate first: send {\"type\":\"auth\",\"token\":TOKEN} (default: $COURIER_TOKEN).")
    String token;

    String address() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /** Connects (and authenticates, with a token); a failure is one sentence naming the address. */
    MessageClient open() throws CliFailure, IOException, TimeoutException {
        SSLContext context = tls || tlsCa != null || insecure ? TlsContexts.create(tlsCa, insecure) : null;
        MessageClient client;
        try {
            client = MessageClient.connect(new InetSocketAddress(host, port), Framing.BINARY, timeout,
                    Limits.DEFAULTS, context);
        } catch (UnknownHostException e) {
            throw new CliFailure("cannot connect to " + address() + ": unknown host", e);
        } catch (ConnectException e) {
            throw new CliFailure("cannot connect to " + address() + ": " + reason(e, "connection refused")
                    + " (is the server running?)", e);
        } catch (SocketTimeoutException e) {
            throw new CliFailure("cannot connect to " + address() + ": no answer within "
                    + Quantities.format(timeout), e);
        } catch (SSLException e) {
            throw new CliFailure("TLS with " + address() + " failed: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new CliFailure("cannot connect to " + address() + ": " + reason(e, e.toString()), e);
        }
        if (token != null && !token.isEmpty()) {
            authenticate(client);
        }
        return client;
    }

    private void authenticate(MessageClient client) throws IOException, TimeoutException {
        try {
            client.callOk(Message.of("auth").with("token", token), timeout);
        } catch (IOException | TimeoutException | RuntimeException e) {
            client.close();
            throw e;
        }
    }

    private static String reason(IOException e, String otherwise) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? otherwise : message.toLowerCase(Locale.ROOT);
    }
}
