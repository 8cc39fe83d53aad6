package io.courier.server.tls;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.List;

/**
 * Reads the private key of a PEM file: PKCS#8 ({@code BEGIN PRIVATE KEY}, what {@code openssl genpkey}, {@code openssl
 * req -newkey} and certbot write) for RSA, EC and Ed25519/Ed448 keys, plus the two older forms {@code openssl} still
 * writes, PKCS#1 ({@code BEGIN RSA PRIVATE KEY}) and SEC1 ({@code BEGIN EC PRIVATE KEY}), rewrapped as PKCS#8.
 */
final class PrivateKeys {
    private static final String OPTION = "--tls-key";
    /** Key factories to try on a PKCS#8 key, whose algorithm the JDK makes us name up front. */
    private static final List<String> ALGORITHMS = List.of("RSA", "EC", "EdDSA", "RSASSA-PSS");

    private PrivateKeys() {
    }

    static PrivateKey read(Path file) {
        for (Pem.Block block : Pem.read(file, OPTION)) {
            switch (block.label()) {
                case "PRIVATE KEY":
                    return pkcs8(block.der(), file);
                case "RSA PRIVATE KEY":
                    return pkcs8(rsaToPkcs8(block.der(), file), file);
                case "EC PRIVATE KEY":
                    return pkcs8(ecToPkcs8(block.der(), file), file);
                case "ENCRYPTED PRIVATE KEY":
                    throw Pem.encrypted(file, OPTION);
                default:
                    // EC PARAMETERS before the key, or a certificate in the same file: look further.
            }
        }
        throw new TlsConfigException(OPTION + " " + file + " holds no private key (expected a '-----BEGIN PRIVATE "
                + "KEY-----' block, PEM PKCS#8)");
    }

    private static PrivateKey pkcs8(byte[] der, Path file) {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException | RuntimeException e) {
                // not this algorithm: try the next one
            }
        }
        throw unreadable(file);
    }

    /** PKCS#1 RSAPrivateKey inside a PKCS#8 PrivateKeyInfo whose algorithm is rsaEncryption (NULL parameters). */
    private static byte[] rsaToPkcs8(byte[] pkcs1, Path file) {
        try {
            Der.read(pkcs1, 0, pkcs1.length); // at least well-formed at the top
        } catch (IllegalArgumentException e) {
            throw unreadable(file);
        }
        byte[] algorithm = Der.element(Der.SEQUENCE, Der.RSA_ENCRYPTION, new byte[] {Der.NULL, 0});
        return Der.privateKeyInfo(algorithm, pkcs1);
    }

    /**
     * SEC1 ECPrivateKey {version, privateKey, [0] curve OID, [1] public key} inside a PKCS#8 PrivateKeyInfo whose
     * algorithm is id-ecPublicKey with that curve.
     */
    private static byte[] ecToPkcs8(byte[] sec1, Path file) {
        try {
            Der.Element key = Der.read(sec1, 0, sec1.length);
            if (key.tag() != Der.SEQUENCE) {
                throw unreadable(file);
            }
            for (Der.Element field = key.firstChild(); field != null; field = field.next(key.end())) {
                if (field.tag() == Der.CONTEXT_0) {
                    Der.Element curve = field.firstChild();
                    if (curve.tag() != Der.OID) {
                        break;
                    }
                    byte[] algorithm = Der.element(Der.SEQUENCE, Der.EC_PUBLIC_KEY, curve.encoded());
                    return Der.privateKeyInfo(algorithm, sec1);
                }
            }
        } catch (IllegalArgumentException e) {
            throw unreadable(file);
        }
        throw new TlsConfigException(OPTION + " " + file + " is an EC key without its named curve; convert it with "
                + "'openssl pkcs8 -topk8 -nocrypt -in " + file + " -out key.pem'");
    }

    private static TlsConfigException unreadable(Path file) {
        return new TlsConfigException(OPTION + " " + file + " holds a private key Java cannot read; convert it to "
                + "PKCS#8 with 'openssl pkcs8 -topk8 -nocrypt -in " + file + " -out key.pem'");
    }
}
