package io.courier.loadtest;

import io.courier.protocol.tls.ClientTlsContexts;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
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

    /** A client engine for one connection to {@code host:port}, checking the host name unless insecure. */
    SSLEngine engine(String host, int port) {
        SSLEngine engine = context.createSSLEngine(host, port);
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
        if (!insecure) {
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
        }
        engine.setSSLParameters(parameters);
        return engine;
    }
}
