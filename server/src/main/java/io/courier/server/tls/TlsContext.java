package io.courier.server.tls;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * One immutable load of the TLS files: the JDK {@link SSLContext} with the server's key, the client CA, and the
 * engine settings (TLS 1.3 and 1.2 only, forward-secret AEAD suites, the client-auth mode). A reload builds a new
 * one and swaps it in ({@link TlsContextHolder}); engines already made keep the context they were made from, so
 * open connections are not affected.
 */
public final class TlsContext {
    /** Nothing older: TLS 1.1 and 1.0 are broken and deprecated (RFC 8996). */
    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final TlsSettings settings;
    private final SSLContext sslContext;
    private final ClientAuth clientAuth;
    private final String[] cipherSuites;
    private final X509Certificate leaf;
    private final List<X509Certificate> clientCas;

    private TlsContext(TlsSettings settings, SSLContext sslContext, X509Certificate leaf,
                       List<X509Certificate> clientCas) {
        this.settings = settings;
        this.sslContext = sslContext;
        this.clientAuth = settings.clientAuth();
        this.leaf = leaf;
        this.clientCas = clientCas;
        this.cipherSuites = preferred(sslContext.getDefaultSSLParameters().getCipherSuites());
    }

    /**
     * The strong suites, in the order the server prefers them: TLS 1.3's before TLS 1.2's and, within each,
     * AES-128-GCM, then AES-256-GCM, then ChaCha20-Poly1305 (the order of Mozilla's recommended configurations, and
     * what OpenSSL and Netty choose). The JDK lists AES-256 first; with the server's order in force that made every
     * connection pay 14 AES rounds per block instead of 10 for no security a 128-bit key lacks. ChaCha20 last: on
     * CPUs with AES instructions, which the JDK uses, AES-GCM is cheaper.
     */
    static String[] preferred(String[] suites) {
        return Arrays.stream(suites).filter(TlsContext::strong)
                .sorted(Comparator.comparingInt((String suite) -> suite.startsWith("TLS_AES_")
                        || suite.startsWith("TLS_CHACHA20_") ? 0 : 1).thenComparingInt(TlsContext::cipherRank))
                .toArray(String[]::new);
    }

    private static int cipherRank(String suite) {
        if (suite.contains("AES_128_GCM")) {
            return 0;
        }
        return suite.contains("AES_256_GCM") ? 1 : 2;
    }

    /**
     * Reads the files the settings name and builds the context.
     *
     * @throws TlsConfigException one sentence naming the option and the file, when a file is missing, unreadable,
     *                            of the wrong kind, or the key does not match the certificate
     */
    public static TlsContext load(TlsSettings settings) {
        settings.check();
        KeyMaterial material = settings.keystoreFile() != null
                ? KeyMaterial.fromKeystore(settings.keystoreFile(), password(settings))
                : KeyMaterial.fromPem(settings.certFile(), settings.keyFile());
        List<X509Certificate> clientCas = settings.clientCaFile() == null ? List.of()
                : Certificates.read(settings.clientCaFile(), "--tls-client-ca",
                "the CA certificate(s) that sign client certificates");
        try {
            char[] keyPassword = new char[0];
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("server", material.key(), keyPassword,
                    material.chain().toArray(new X509Certificate[0]));
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keys, keyPassword);
            TrustManagerFactory trustManagers = null;
            if (!clientCas.isEmpty()) {
                KeyStore trusted = KeyStore.getInstance("PKCS12");
                trusted.load(null, null);
                for (int i = 0; i < clientCas.size(); i++) {
                    trusted.setCertificateEntry("client-ca-" + i, clientCas.get(i));
                }
                trustManagers = TrustManagerFactory.getInstance("PKIX");
                trustManagers.init(trusted);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers.getKeyManagers(),
                    trustManagers == null ? null : trustManagers.getTrustManagers(), null);
            return new TlsContext(settings, context, material.leaf(), clientCas);
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new TlsConfigException("the TLS key and certificates cannot be set up: " + e.getMessage());
        }
    }

    private static char[] password(TlsSettings settings) {
        return settings.keystorePassword() == null ? new char[0] : settings.keystorePassword().toCharArray();
    }

    /** TLS 1.3's suites, and TLS 1.2's with ephemeral ECDH and an AEAD cipher (Mozilla's "intermediate" set). */
    private static boolean strong(String suite) {
        if (suite.startsWith("TLS_AES_") || suite.startsWith("TLS_CHACHA20_")) {
            return true;
        }
        return suite.contains("_ECDHE_") && (suite.contains("_GCM_") || suite.contains("_CHACHA20_"));
    }

    /** A server-side engine for one new connection. */
    public SSLEngine newEngine() {
        SSLEngine engine = sslContext.createSSLEngine();
        engine.setUseClientMode(false);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setProtocols(PROTOCOLS.clone());
        parameters.setCipherSuites(cipherSuites.clone());
        parameters.setUseCipherSuitesOrder(true);
        if (clientAuth == ClientAuth.REQUIRE) {
            parameters.setNeedClientAuth(true);
        } else if (clientAuth == ClientAuth.OPTIONAL) {
            parameters.setWantClientAuth(true);
        }
        engine.setSSLParameters(parameters);
        return engine;
    }

    public TlsSettings settings() {
        return settings;
    }

    public ClientAuth clientAuth() {
        return clientAuth;
    }

    /** The server's own certificate (the first of its chain). */
    public X509Certificate certificate() {
        return leaf;
    }

    /** For the start-up and reload log lines: whose certificate, until when, and whether clients need one. */
    public String describe() {
        Instant notAfter = leaf.getNotAfter().toInstant();
        StringBuilder text = new StringBuilder("certificate ").append(leaf.getSubjectX500Principal().getName())
                .append(" issued by ").append(leaf.getIssuerX500Principal().getName())
                .append(", valid until ").append(notAfter);
        if (notAfter.isBefore(Instant.now())) {
            text.append(" (EXPIRED: clients will refuse it)");
        }
        text.append("; TLS 1.3 and 1.2; client certificates ").append(clientAuth.wireName());
        if (!clientCas.isEmpty()) {
            text.append(" (client CA ").append(clientCas.get(0).getSubjectX500Principal().getName())
                    .append(clientCas.size() > 1 ? " and " + (clientCas.size() - 1) + " more" : "").append(')');
        }
        return text.toString();
    }
}
