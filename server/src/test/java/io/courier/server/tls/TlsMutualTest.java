package io.courier.server.tls;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.courier.protocol.Framing;
import io.courier.protocol.Message;
import io.courier.server.Server;
import io.courier.server.support.RawClient;
import io.courier.server.support.TestServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.courier.server.support.TestServers.REPLY_TIMEOUT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mutual TLS with real clients (Java's SSLSocket, Python's ssl, openssl s_client): a required client certificate,
 * an optional one, none, one from another CA; the verified certificate's CN is what the session reports and what
 * the connection log shows.
 */
class TlsMutualTest {
    private static final TestCertificates CERTS = TestCertificates.get();

    private static Server start(ClientAuth auth) throws IOException {
        TlsSettings tls = CERTS.serverSettings().withClientCa(CERTS.caCert, auth);
        return TestServers.start(TlsServers.config(tls).build(), new TlsServers.WhoAmI());
    }

    private static String whoami(RawClient client) throws IOException {
        client.send(Message.of("whoami").with("id", 1));
        JsonNode identity = client.read(REPLY_TIMEOUT).header().get("identity");
        return identity.isNull() ? null : identity.asText();
    }

    @Test
    void requiredCertificateNamesTheConnectionInTheSessionAndTheLog() throws Exception {
        try (LogLines logs = LogLines.capture(); Server server = start(ClientAuth.REQUIRE)) {
            try (RawClient alice = TlsServers.connect(TlsServers.client(CERTS.aliceCert, CERTS.aliceKey),
                    TlsServers.address(server), Framing.BINARY)) {
                assertEquals("alice", whoami(alice));
            }
            await().atMost(REPLY_TIMEOUT).until(() -> !logs.containing("identity alice").isEmpty());
            assertEquals(1, logs.containing("identified as alice").size(), logs.all().toString());
            assertTrue(logs.containing("identity alice").get(0).contains("disconnected"), logs.all().toString());
        }
    }

    @Test
    void requiredCertificateMissingOrFromAnotherCaIsRefused() throws Exception {
        try (Server server = start(ClientAuth.REQUIRE)) {
            InetSocketAddress address = TlsServers.address(server);
            assertRefused(() -> TlsServers.connect(TlsServers.client(null, null), address, Framing.JSON_TEXT));
            assertRefused(() -> TlsServers.connect(TlsServers.client(CERTS.malloryCert, CERTS.malloryKey), address,
                    Framing.JSON_TEXT));
            await().atMost(REPLY_TIMEOUT).until(() -> server.stats().tls().handshakeFailures() == 2);
            assertEquals(0, server.stats().tls().handshakes());
        }
    }

    /**
     * Under TLS 1.3 the client's handshake is over before the server has checked its certificate: the refusal
     * (an alert) then arrives instead of the first reply.
     */
    private static void assertRefused(ClientAttempt attempt) {
        assertThrows(IOException.class, () -> {
            try (RawClient client = attempt.connect()) {
                client.send(Message.of("ping").with("id", 1));
                client.socket().getInputStream().read();
            }
        });
    }

    @FunctionalInterface
    private interface ClientAttempt {
        RawClient connect() throws Exception;
    }

    @Test
    void optionalCertificateIdentifiesThoseThatHaveOneAndServesTheOthers() throws Exception {
        try (Server server = start(ClientAuth.OPTIONAL);
             RawClient anonymous = TlsServers.connect(TlsServers.client(null, null), TlsServers.address(server),
                     Framing.JSON_TEXT);
             RawClient alice = TlsServers.connect(TlsServers.client(CERTS.aliceCert, CERTS.aliceKey),
                     TlsServers.address(server), Framing.JSON_TEXT)) {
            assertEquals(null, whoami(anonymous));
            assertEquals("alice", whoami(alice));
        }
    }

    @Test
    void aCertificateNamingAUserOfTheUsersFileAuthenticatesAsThatUser(@TempDir Path dir) throws Exception {
        Path users = Files.writeString(dir.resolve("users.json"), "{\"users\": [{\"name\": \"alice\", "
                + "\"token_sha256\": \"" + "ab".repeat(32) + "\", \"grants\": [\"echo\"]}]}");
        TlsSettings tls = CERTS.serverSettings().withClientCa(CERTS.caCert, ClientAuth.OPTIONAL);
        try (Server server = TestServers.start(TlsServers.config(tls).usersFile(users).build());
             RawClient alice = TlsServers.connect(TlsServers.client(CERTS.aliceCert, CERTS.aliceKey),
                     TlsServers.address(server), Framing.JSON_TEXT);
             RawClient anonymous = TlsServers.connect(TlsServers.client(null, null), TlsServers.address(server),
                     Framing.JSON_TEXT)) {
            alice.send(Message.of("echo").with("id", 1).with("text", "no token needed"));
            Message echoed = alice.read(REPLY_TIMEOUT);
            assertTrue(echoed.isOk(), echoed.toString());
            alice.send(Message.of("stats").with("id", 2));
            assertEquals("forbidden", alice.read(REPLY_TIMEOUT).errorCode(), "alice's grants still apply");
            anonymous.send(Message.of("echo").with("id", 3).with("text", "who am I"));
            assertEquals("unauthorized", anonymous.read(REPLY_TIMEOUT).errorCode());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "binary"})
    void pythonSslClientInBothFramingsWithAndWithoutACertificate(String framing) throws Exception {
        try (Server server = start(ClientAuth.OPTIONAL)) {
            int port = TlsServers.address(server).getPort();
            List<JsonNode> anonymous = lines(ExternalClients.python(port, framing, null, null));
            assertTrue(anonymous.get(0).get("ok").asBoolean(), anonymous.toString());
            assertEquals("h\u00e9llo", anonymous.get(1).get("text").asText());
            assertTrue(anonymous.get(2).get("identity").isNull(), anonymous.toString());
            assertEquals("TLSv1.3", anonymous.get(3).get("tls").asText());
            List<JsonNode> alice = lines(ExternalClients.python(port, framing, CERTS.aliceCert, CERTS.aliceKey));
            assertEquals("alice", alice.get(2).get("identity").asText(), alice.toString());
        }
    }

    @Test
    void pythonSslClientWithoutTheRequiredCertificateIsRefused() throws Exception {
        try (Server server = start(ClientAuth.REQUIRE)) {
            ExternalClients.Outcome outcome = ExternalClients.python(TlsServers.address(server).getPort(), "json",
                    null, null);
            assertNotEquals(0, outcome.exitCode(), outcome.output());
            // The JDK answers a missing certificate with a bad_certificate alert.
            assertTrue(outcome.output().contains("alert bad certificate"), outcome.output());
        }
    }

    @Test
    void opensslSClientWithAndWithoutACertificate() throws Exception {
        try (Server server = TestServers.start(TlsServers.config(CERTS.serverSettings()
                        .withClientCa(CERTS.caCert, ClientAuth.OPTIONAL)).idleTimeout(java.time.Duration.ofSeconds(1))
                .build(), new TlsServers.WhoAmI())) {
            int port = TlsServers.address(server).getPort();
            String requests = "{\"type\":\"ping\",\"id\":1}\n{\"type\":\"whoami\",\"id\":2}\n";
            // The server's idle timeout ends each session: a timeout error, close_notify, FIN.
            ExternalClients.Outcome anonymous = ExternalClients.openssl(port, requests, "-quiet", "-CAfile",
                    CERTS.caCert.toString(), "-verify_return_error");
            assertTrue(anonymous.output().contains("\"type\":\"ping\",\"id\":1,\"ok\":true"), anonymous.output());
            assertTrue(anonymous.output().contains("\"identity\":null"), anonymous.output());
            ExternalClients.Outcome alice = ExternalClients.openssl(port, requests, "-quiet", "-CAfile",
                    CERTS.caCert.toString(), "-verify_return_error", "-cert", CERTS.aliceCert.toString(), "-key",
                    CERTS.aliceKey.toString());
            assertTrue(alice.output().contains("\"identity\":\"alice\""), alice.output());
        }
    }

    private static List<JsonNode> lines(ExternalClients.Outcome outcome) throws IOException {
        assertEquals(0, outcome.exitCode(), outcome.output());
        List<JsonNode> lines = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : outcome.output().split("\n")) {
            if (!line.isBlank()) {
                lines.add(json.readTree(line));
            }
        }
        return lines;
    }
}
