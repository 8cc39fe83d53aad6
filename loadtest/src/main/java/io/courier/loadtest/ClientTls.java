package io.courier.loadtest;

import io.courier.protocol.tls.ClientTlsContexts;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.nio.file.Path;

/**
 * {@code --tls}: how the load connections speak TLS to the server. By default the server's certificate must chain to
 * the JDK's trusted CAs and name {@code --host}; {@code --tls-ca FILE} trusts the CA certificate(s) of a PEM file
 * instead (a private CA, or a self-signed certificate); {@code --insecure} accepts any certificate, for throwaway
 * test setups only. Thread-safe: one for the whole run.
 */
final class ClientTls {
    private final SSLContext context;
    private final boolean insecure;

    private ClientTls(SSLContext context, boolean insecure) {
        this.context = context;
        this.insecure = insecure;
    }

    /** @throws IllegalArgumentException naming the option, when the CA file cannot be used */
    static ClientTls create(Path caFile, boolean insecure) {
        return new ClientTls(ClientTlsContexts.create(caFile, insecure), insecure);
    }

    /** The context itself, for blocking sockets (fan-out and connect modes). */
    SSLContext context() {
        return context;
    }

    /**
     * A TLS socket over the connected {@code plain} one, set up as {@link #engine} is; the handshake is left to
     * the caller ({@link SSLSocket#startHandshake()}). The JDK's client session cache may resume an earlier session,
     * as a reconnecting client would.
     */
    SSLSocket wrap(java.net.Socket plain, String host, int port) throws java.io.IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, host, port, true);
        socket.setSSLParameters(parameters(socket.getSSLParameters()));
        return socket;
    }

    private SSLParameters parameters(SSLParameters parameters) {
        parameters.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
        if (!insecure) {
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
        }
        return parameters;
    }

    /** A client engine for one connection to {@code host:port}, checking the host name unless insecure. */
    SSLEngine engine(String host, int port) {
        SSLEngine engine = context.createSSLEngine(host, port);
        engine.setUseClientMode(true);
        engine.setSSLParameters(parameters(engine.getSSLParameters()));
        return engine;
    }
}
