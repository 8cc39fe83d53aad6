package io.courier.server.tls;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/** Reads X.509 certificates from a PEM file: a chain (leaf first, as certbot's fullchain.pem) or a set of CAs. */
final class Certificates {
    private Certificates() {
    }

    /**
     * @param option the option that names the file, for the error sentence
     * @param what   what the file should hold, for the error sentence ("the server certificate chain")
     */
    static List<X509Certificate> read(Path file, String option, String what) {
        List<X509Certificate> certificates = new ArrayList<>();
        boolean sawKey = false;
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (Pem.Block block : Pem.read(file, option)) {
                if (block.label().equals("CERTIFICATE")) {
                    certificates.add((X509Certificate) factory.generateCertificate(
                            new ByteArrayInputStream(block.der())));
                } else if (block.label().endsWith("PRIVATE KEY")) {
                    sawKey = true;
                }
            }
        } catch (CertificateException e) {
            throw new TlsConfigException(option + " " + file + " holds a certificate Java cannot read ("
                    + e.getMessage() + ")");
        }
        if (certificates.isEmpty()) {
            throw new TlsConfigException(option + " " + file + " holds no '-----BEGIN CERTIFICATE-----' block; it must"
                    + " be " + what + (sawKey ? " (this file is a private key: that goes to --tls-key)" : ""));
        }
        return certificates;
    }
}
