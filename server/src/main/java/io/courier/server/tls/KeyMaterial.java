package io.courier.server.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.util.Collections;
import java.util.List;

/**
 * The server's private key and its certificate chain (leaf first), from PEM files or a PKCS#12 keystore, checked
 * to belong together: a key that does not match its certificate would fail every handshake, so it fails the start.
 */
record KeyMaterial(PrivateKey key, List<X509Certificate> chain) {

    KeyMaterial {
        chain = List.copyOf(chain);
    }

    X509Certificate leaf() {
        return chain.get(0);
    }

    static KeyMaterial fromPem(Path certFile, Path keyFile) {
        List<X509Certificate> chain = Certificates.read(certFile, "--tls-cert",
                "the server's certificate chain, leaf first (certbot's fullchain.pem)");
        PrivateKey key = PrivateKeys.read(keyFile);
        if (!matches(key, chain.get(0).getPublicKey())) {
            throw new TlsConfigException("--tls-key " + keyFile + " does not belong to the certificate in --tls-cert "
                    + certFile + " (their public keys differ); give the key the certificate was issued for");
        }
        return new KeyMaterial(key, chain);
    }

    /** The first key entry of a PKCS#12 file; its password is the keystore's. */
    static KeyMaterial fromKeystore(Path file, char[] password) {
        KeyStore store;
        try (InputStream in = Files.newInputStream(file)) {
            store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
        } catch (IOException e) {
            if (e.getCause() instanceof java.security.UnrecoverableKeyException) {
                throw new TlsConfigException("--tls-keystore " + file + " cannot be opened with the password given "
                        + "(--tls-keystore-password or COURIER_TLS_KEYSTORE_PASSWORD)");
            }
            throw new TlsConfigException("--tls-keystore " + file + " cannot be read as PKCS#12: "
                    + Pem.describe(e));
        } catch (GeneralSecurityException e) {
            throw new TlsConfigException("--tls-keystore " + file + " cannot be read as PKCS#12: " + e.getMessage());
        }
        try {
            for (String alias : Collections.list(store.aliases())) {
                if (!store.isKeyEntry(alias)) {
                    continue;
                }
                Key key = store.getKey(alias, password);
                Certificate[] certificates = store.getCertificateChain(alias);
                if (key instanceof PrivateKey && certificates != null && certificates.length > 0) {
                    X509Certificate[] chain = new X509Certificate[certificates.length];
                    for (int i = 0; i < chain.length; i++) {
                        chain[i] = (X509Certificate) certificates[i];
                    }
                    if (!matches((PrivateKey) key, chain[0].getPublicKey())) {
                        throw new TlsConfigException("--tls-keystore " + file + ": the key of entry '" + alias
                                + "' does not belong to its certificate");
                    }
                    return new KeyMaterial((PrivateKey) key, List.of(chain));
                }
            }
        } catch (GeneralSecurityException e) {
            throw new TlsConfigException("--tls-keystore " + file + ": its key cannot be read with the keystore "
                    + "password (" + e.getMessage() + ")");
        }
        throw new TlsConfigException("--tls-keystore " + file + " holds no private key with its certificate chain");
    }

    /**
     * Whether {@code key} is the private half of {@code publicKey}: RSA keys share their modulus; other keys sign a
     * random challenge that the public key must verify.
     */
    static boolean matches(PrivateKey key, PublicKey publicKey) {
        if (key instanceof RSAKey && publicKey instanceof RSAKey) {
            return ((RSAKey) key).getModulus().equals(((RSAKey) publicKey).getModulus());
        }
        String algorithm = signatureAlgorithm(key);
        if (algorithm == null || !sameFamily(key, publicKey)) {
            return false;
        }
        try {
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false; // different curves, or a key the certificate's algorithm cannot use
        }
    }

    private static boolean sameFamily(PrivateKey key, PublicKey publicKey) {
        String a = family(key.getAlgorithm());
        return a.equals(family(publicKey.getAlgorithm()));
    }

    private static String family(String algorithm) {
        return algorithm.equals("Ed25519") || algorithm.equals("Ed448") ? "EdDSA" : algorithm;
    }

    private static String signatureAlgorithm(PrivateKey key) {
        switch (family(key.getAlgorithm())) {
            case "EC":
                return "SHA256withECDSA";
            case "EdDSA":
                return "EdDSA";
            default:
                return null;
        }
    }
}
