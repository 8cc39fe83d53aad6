package io.courier.server.tls;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.courier.protocol.Framing;
import io.courier.protocol.Message;
import io.courier.server.Server;
import io.courier.server.api.Handler;
import io.courier.server.api.Session;
import io.courier.server.config.ListenerSpec;
import io.courier.server.config.ServerConfigBuilder;
import io.courier.server.logging.ConnectionLog;
import io.courier.server.support.RawClient;
import io.courier.server.support.TestServers;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.util.List;

/** Real servers with tls: listeners on loopback, port 0, and real Java TLS clients (SSLSocket) for them. */
final class TlsServers {
    private TlsServers() {
    }

    /**
     * A config with one tls: listener per address ("127.0.0.1", "::1", "::"), on free ports; the per-connection
     * lines at INFO, as an operator who wants to see TLS failures and identities sets --connection-log.
     */
    static ServerConfigBuilder config(TlsSettings tls, String... hosts) {
        ServerConfigBuilder config = TestServers.config().tls(tls).connectionLog(ConnectionLog.Level.INFO);
        for (String host : hosts.length == 0 ? new String[] {"127.0.0.1"} : hosts) {
            config.listen("tls:" + (host.contains(":") ? "[" + host + "]" : host) + ":0");
        }
        return config;
    }

    static Server start(TlsSettings tls) throws IOException {
        return TestServers.start(config(tls).build(), new WhoAmI());
    }

    /** The bound address of the {@code index}th tls: listener. */
    static InetSocketAddress address(Server server, int index) {
        List<SocketAddress> addresses = server.localAddresses();
        List<ListenerSpec> specs = server.config().listeners();
        int seen = 0;
        for (int i = 0; i < specs.size(); i++) {
            if (specs.get(i).transport() == ListenerSpec.Transport.TLS && seen++ == index) {
                return (InetSocketAddress) addresses.get(i);
            }
        }
        throw new IllegalArgumentException("no tls: listener number " + index);
    }

    static InetSocketAddress address(Server server) {
        return address(server, 0);
    }

    /** A client trusting the test CA, presenting {@code clientCert} when not null. */
    static SSLContext client(Path clientCert, Path clientKey) throws Exception {
        return EnginePair.clientContext(TestCertificates.get(), clientCert, clientKey);
    }

    /** Connects and completes the handshake, checking the server's name as a real client does. */
    static SSLSocket connect(SSLContext context, String host, int port) throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket();
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(10_000);
            socket.connect(new InetSocketAddress(host, port), 10_000);
            javax.net.ssl.SSLParameters parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name this host
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            return socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    static RawClient connect(SSLContext context, InetSocketAddress address, Framing framing) throws IOException {
        return RawClient.wrap(connect(context, address.getHostString(), address.getPort()), framing);
    }

    /** {@code whoami}: what the session reports, so tests see the identity a handler sees. */
    static final class WhoAmI implements Handler {
        @Override
        public String type() {
            return "whoami";
        }

        @Override
        public Message handle(Message request, Session session) {
            Message reply = Message.replyTo(request).with("transport", session.transport());
            ObjectNode header = reply.header();
            if (session.peerIdentity() == null) {
                header.putNull("identity");
            } else {
                header.put("identity", session.peerIdentity());
            }
            return reply;
        }
    }
}
