package io.courier.loadtest;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Collection;

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
        try {
            TrustManager[] trust = null; // the JDK's own trusted CAs
            if (insecure) {
                trust = new TrustManager[] {new TrustingAnything()};
            } else if (caFile != null) {
                trust = trusting(caFile);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust, null);
            return new ClientTls(context, insecure);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("--tls: cannot set up TLS: " + e.getMessage());
        }
    }

    private static TrustManager[] trusting(Path caFile) throws GeneralSecurityException {
        Collection<? extends Certificate> certificates;
        try (InputStream in = Files.newInputStream(caFile)) {
            certificates = java.security.cert.CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("--tls-ca " + caFile + " cannot be read as PEM certificates: "
                    + e.getMessage());
        }
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException("--tls-ca " + caFile + " holds no certificate");
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
        int i = 0;
        for (Certificate certificate : certificates) {
            store.setCertificateEntry("ca-" + i++, certificate);
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
        factory.init(store);
        return factory.getTrustManagers();
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

    /** {@code --insecure}: every certificate is accepted, whoever it names. */
    private static final class TrustingAnything extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
