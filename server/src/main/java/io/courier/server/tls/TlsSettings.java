package io.courier.server.tls;

import java.nio.file.Path;

/**
 * What the TLS options name: the server's key and certificate chain (PEM files, or a PKCS#12 keystore) and, for
 * mutual TLS, the client CA and whether a client certificate is required. The files are read by
 * {@link TlsContext#load}, at start and again at each reload.
 *
 * @param clientAuth whether a client certificate is asked for; anything but {@code none} needs the client CA
 */
public record TlsSettings(Path certFile, Path keyFile, Path keystoreFile, String keystorePassword,
                          Path clientCaFile, ClientAuth clientAuth) {

    public TlsSettings {
        clientAuth = clientAuth == null ? ClientAuth.NONE : clientAuth;
    }

    public static TlsSettings pem(Path certFile, Path keyFile) {
        return new TlsSettings(certFile, keyFile, null, null, null, ClientAuth.NONE);
    }

    public static TlsSettings keystore(Path keystoreFile, String password) {
        return new TlsSettings(null, null, keystoreFile, password, null, ClientAuth.NONE);
    }

    public TlsSettings withClientCa(Path caFile, ClientAuth auth) {
        return new TlsSettings(certFile, keyFile, keystoreFile, keystorePassword, caFile, auth);
    }

    /** True when no TLS option is set at all. */
    public boolean isEmpty() {
        return certFile == null && keyFile == null && keystoreFile == null && clientCaFile == null
                && clientAuth == ClientAuth.NONE && keystorePassword == null;
    }

    /** The options must make sense together; each failure is one sentence (the command line prefixes --). */
    public void check() {
        if ((certFile == null) != (keyFile == null)) {
            throw new TlsConfigException(certFile == null
                    ? "tls-key needs --tls-cert, the certificate chain the key belongs to"
                    : "tls-cert needs --tls-key, the private key of that certificate (PEM PKCS#8)");
        }
        if (certFile != null && keystoreFile != null) {
            throw new TlsConfigException("tls-keystore replaces --tls-cert and --tls-key; give one or the other");
        }
        if (certFile == null && keystoreFile == null) {
            throw new TlsConfigException("tls-cert and --tls-key (or --tls-keystore) are needed by a tls: listener"
                    + " and by the other TLS options");
        }
        if (keystorePassword != null && keystoreFile == null) {
            throw new TlsConfigException("tls-keystore-password is given without --tls-keystore");
        }
        if (clientAuth != ClientAuth.NONE && clientCaFile == null) {
            throw new TlsConfigException("tls-client-auth " + clientAuth.wireName() + " needs --tls-client-ca FILE, "
                    + "the CA certificate(s) that sign client certificates");
        }
        if (clientAuth == ClientAuth.NONE && clientCaFile != null) {
            throw new TlsConfigException("tls-client-ca is given but --tls-client-auth is none; set it to require "
                    + "(every client presents a certificate) or optional (those that have one)");
        }
    }

    /** Without the keystore password, which must not reach a log line. */
    @Override
    public String toString() {
        return "TlsSettings[cert=" + certFile + ", key=" + keyFile + ", keystore=" + keystoreFile + ", password="
                + (keystorePassword == null ? "none" : "***") + ", clientCa=" + clientCaFile + ", clientAuth="
                + clientAuth.wireName() + "]";
    }
}
