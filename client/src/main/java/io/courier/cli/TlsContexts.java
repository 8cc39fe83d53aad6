package io.courier.cli;

import io.courier.protocol.tls.ClientTlsContexts;

import javax.net.ssl.SSLContext;
import java.nio.file.Path;

/**
 * The TLS contexts of {@code --tls}: the JDK's trusted CAs, the CA certificates of {@code --tls-ca FILE} (PEM),
 * or, with {@code --insecure}, any certificate for any host name (for a test server's self-signed certificate).
 * The same as the load tool's: {@link ClientTlsContexts}.
 */
final class TlsContexts {
    private TlsContexts() {
    }

    static SSLContext create(Path caFile, boolean insecure) throws CliFailure {
        try {
            return ClientTlsContexts.create(caFile, insecure);
        } catch (IllegalArgumentException e) {
            throw new CliFailure(e.getMessage(), e);
        }
    }
}
