package io.courier.server.tls;

import io.courier.protocol.tls.TlsBuffers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.net.ssl.SSLEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Loading what the TLS options name: every key form openssl and certbot write, and one sentence for each mistake. */
class TlsContextTest {
    private final TestCertificates certs = TestCertificates.get();

    @Test
    void pemChainAndPkcs8KeyLoadAndMakeEnginesForTls13And12Only() {
        TlsContext context = TlsContext.load(certs.serverSettings());
        SSLEngine engine = context.newEngine();
        assertFalse(engine.getUseClientMode());
        assertArrayEquals(new String[] {"TLSv1.3", "TLSv1.2"}, engine.getEnabledProtocols());
        assertTrue(Arrays.stream(engine.getEnabledCipherSuites())
                .allMatch(s -> s.startsWith("TLS_AES_") || s.startsWith("TLS_CHACHA20_") || s.contains("_ECDHE_")),
                Arrays.toString(engine.getEnabledCipherSuites()));
        assertFalse(engine.getNeedClientAuth() || engine.getWantClientAuth());
        assertEquals("CN=localhost,O=Courier Tests", context.certificate().getSubjectX500Principal().getName());
        assertTrue(context.describe().contains("client certificates none"), context.describe());
    }

    @Test
    void theServerPrefersAes128GcmToTheJdksAes256First() {
        String[] order = TlsContext.load(certs.serverSettings()).newEngine().getEnabledCipherSuites();
        assertEquals("TLS_AES_128_GCM_SHA256", order[0], Arrays.toString(order));
        assertEquals("TLS_AES_256_GCM_SHA384", order[1], Arrays.toString(order));
        String firstTls12 = Arrays.stream(order).filter(suite -> suite.contains("_ECDHE_")).findFirst().orElseThrow();
        assertTrue(firstTls12.contains("_AES_128_GCM_"), Arrays.toString(order));
    }

    /** A client offering the JDK's order (AES-256 first) gets AES-128-GCM: the server's order is in force. */
    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void aJdkClientNegotiatesAes128Gcm(String protocol) throws Exception {
        TlsContext context = TlsContext.load(TlsSettings.pem(certs.ecCert, certs.ecKeySec1));
        EnginePair pair = EnginePair.of(context, certs, null, null, Runnable::run, new TlsBuffers(), protocol);
        pair.handshake();
        String expected = protocol.equals("TLSv1.3") ? "TLS_AES_128_GCM_SHA256"
                : "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256";
        assertEquals(expected, pair.server.driver.session().getCipherSuite());
    }

    @Test
    void legacyRsaAndEcKeyFormatsLoadToo() {
        TlsContext rsa = TlsContext.load(TlsSettings.pem(certs.serverCert, certs.serverKeyPkcs1));
        assertEquals("CN=localhost,O=Courier Tests", rsa.certificate().getSubjectX500Principal().getName());
        TlsContext ec = TlsContext.load(TlsSettings.pem(certs.ecCert, certs.ecKeySec1));
        assertEquals("EC", ec.certificate().getPublicKey().getAlgorithm());
    }

    @Test
    void pkcs12KeystoreLoadsWithItsPassword() {
        TlsContext context = TlsContext.load(TlsSettings.keystore(certs.keystore, TestCertificates.KEYSTORE_PASSWORD));
        assertEquals("CN=localhost,O=Courier Tests", context.certificate().getSubjectX500Principal().getName());
    }

    @Test
    void wrongKeystorePasswordIsOneSentenceNamingTheOptions() {
        TlsConfigException e = assertThrows(TlsConfigException.class,
                () -> TlsContext.load(TlsSettings.keystore(certs.keystore, "wrong")));
        assertEquals("--tls-keystore " + certs.keystore + " cannot be opened with the password given "
                + "(--tls-keystore-password or COURIER_TLS_KEYSTORE_PASSWORD)", e.getMessage());
    }

    @Test
    void keyOfAnotherCertificateIsAMismatch() {
        TlsConfigException e = assertThrows(TlsConfigException.class,
                () -> TlsContext.load(TlsSettings.pem(certs.serverChain, certs.otherKey)));
        assertEquals("--tls-key " + certs.otherKey + " does not belong to the certificate in --tls-cert "
                + certs.serverChain + " (their public keys differ); give the key the certificate was issued for",
                e.getMessage());
        // same algorithm (EC P-256) but another key: the signature check tells them apart
        assertThrows(TlsConfigException.class, () -> TlsContext.load(TlsSettings.pem(certs.ecCert, certs.otherKey)));
    }

    @Test
    void encryptedKeySaysHowToDecryptIt() {
        TlsConfigException e = assertThrows(TlsConfigException.class,
                () -> TlsContext.load(TlsSettings.pem(certs.serverCert, certs.serverKeyEncrypted)));
        assertEquals("--tls-key " + certs.serverKeyEncrypted + " holds an encrypted key; write it unencrypted with "
                + "'openssl pkcs8 -topk8 -nocrypt -in " + certs.serverKeyEncrypted + " -out key.pem' and protect that "
                + "file instead", e.getMessage());
    }

    @Test
    void swappedFilesMissingFilesAndGarbageAreOneSentenceEach(@TempDir Path dir) throws IOException {
        TlsConfigException swapped = assertThrows(TlsConfigException.class,
                () -> TlsContext.load(TlsSettings.pem(certs.serverKey, certs.serverCert)));
        assertEquals("--tls-cert " + certs.serverKey + " holds no '-----BEGIN CERTIFICATE-----' block; it must be "
                + "the server's certificate chain, leaf first (certbot's fullchain.pem) (this file is a private key: "
                + "that goes to --tls-key)", swapped.getMessage());
        Path missing = dir.resolve("nope.pem");
        TlsConfigException absent = assertThrows(TlsConfigException.class,
                () -> TlsContext.load(TlsSettings.pem(missing, certs.serverKey)));
        assertEquals("--tls-cert " + missing + " cannot be read: no such file", absent.getMessage());
        Path garbage = Files.writeString(dir.resolve("garbage.pem"),
                "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n");
        TlsConfigException unreadable = assertThrows(TlsConfigException.class,
                () -> TlsContext.load(TlsSettings.pem(certs.serverCert, garbage)));
        assertTrue(unreadable.getMessage().startsWith("--tls-key " + garbage + " holds a private key Java cannot "
                + "read; convert it to PKCS#8 with 'openssl pkcs8 -topk8 -nocrypt"), unreadable.getMessage());
    }

    @Test
    void optionsThatDoNotGoTogetherAreRefusedBeforeAnyFileIsRead() {
        assertEquals("tls-cert needs --tls-key, the private key of that certificate (PEM PKCS#8)",
                assertThrows(TlsConfigException.class, () -> TlsContext.load(TlsSettings.pem(certs.serverCert, null)))
                        .getMessage());
        assertEquals("tls-client-auth require needs --tls-client-ca FILE, the CA certificate(s) that sign client "
                        + "certificates", assertThrows(TlsConfigException.class, () -> TlsContext.load(
                certs.serverSettings().withClientCa(null, ClientAuth.REQUIRE))).getMessage());
        assertEquals("tls-client-auth must be none, optional or require, got 'maybe'",
                assertThrows(IllegalArgumentException.class, () -> ClientAuth.parse("maybe")).getMessage());
    }

    @Test
    void clientAuthRequireOrOptionalAsksForACertificateSignedByTheClientCa() {
        TlsContext required = TlsContext.load(certs.serverSettings().withClientCa(certs.caCert, ClientAuth.REQUIRE));
        assertTrue(required.newEngine().getNeedClientAuth());
        TlsContext optional = TlsContext.load(certs.serverSettings().withClientCa(certs.caCert, ClientAuth.OPTIONAL));
        assertTrue(optional.newEngine().getWantClientAuth());
        assertTrue(optional.describe().contains("client certificates optional (client CA CN=Courier Test CA)"),
                optional.describe());
        assertEquals("tls-client-ca is given but --tls-client-auth is none; set it to require (every client "
                + "presents a certificate) or optional (those that have one)", assertThrows(TlsConfigException.class,
                () -> TlsContext.load(certs.serverSettings().withClientCa(certs.caCert, ClientAuth.NONE)))
                .getMessage());
    }

    @Test
    void reloadSwapsInTheNewFilesAndAFailedReloadKeepsTheOldContext(@TempDir Path dir) throws IOException {
        Path cert = Files.copy(certs.serverChain, dir.resolve("cert.pem"));
        Path key = Files.copy(certs.serverKey, dir.resolve("key.pem"));
        TlsContextHolder holder = new TlsContextHolder(TlsSettings.pem(cert, key));
        TlsContext first = holder.current();

        Files.copy(certs.rotatedCert, cert, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(certs.rotatedKey, key, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        TlsContext second = holder.reload();
        assertSame(second, holder.current());
        assertEquals("CN=localhost,O=Courier Tests Rotated",
                second.certificate().getSubjectX500Principal().getName());

        Files.copy(certs.serverKey, key, java.nio.file.StandardCopyOption.REPLACE_EXISTING); // now a mismatch
        assertThrows(TlsConfigException.class, holder::reload);
        assertSame(second, holder.current());
        assertFalse(first == second);
    }

    @Test
    void commonNameIsTheMostSpecificCnOfTheSubject() {
        assertEquals("alice", ClientIdentity.commonName("CN=alice,OU=people,O=Courier Tests"));
        assertEquals("b", ClientIdentity.commonName("CN=b,CN=a,O=x"));
        assertEquals(null, ClientIdentity.commonName("O=no common name"));
    }
}
