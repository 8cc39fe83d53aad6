package io.courier.server;

import io.courier.protocol.ErrorCode;
import io.courier.protocol.Framing;
import io.courier.protocol.Message;
import io.courier.server.metrics.CloseReason;
import io.courier.server.support.Frames;
import io.courier.server.support.NoErrorLogged;
import io.courier.server.support.RawClient;
import io.courier.server.support.TestServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.courier.server.ErrorsThatKeepTheConnectionTest.assertError;
import static io.courier.server.support.TestServers.REPLY_TIMEOUT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The errors after which the stream cannot be resynchronised: the client gets every reply queued before the error,
 * then the error reply, then a clean end of stream (FIN, not a reset).
 */
@ExtendWith(NoErrorLogged.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ErrorsThatCloseTheConnectionTest {
    private static final int MAX_HEADER = 1024;

    private Server server;

    @BeforeEach
    void startServer() throws Exception {
        server = TestServers.start(TestServers.config().maxHeaderBytes(MAX_HEADER).build());
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void jsonTextObjectOverTheLimitGetsTooLargeThenClose() throws Exception {
        String big = "{\"type\":\"echo\",\"id\":2,\"pad\":\"" + "x".repeat(2 * MAX_HEADER) + "\"}";
        try (RawClient client = RawClient.connect(server.port(), Framing.JSON_TEXT)) {
            client.write(Frames.utf8("{\"type\":\"ping\",\"id\":1}" + big));
            Message pong = client.read(REPLY_TIMEOUT);
            assertEquals(1, pong.id().asLong(), "the reply queued before the error still goes out");
            Message error = client.read(REPLY_TIMEOUT);
            assertError(error, ErrorCode.TOO_LARGE, "error", null);
            assertTrue(error.errorMessage().contains("max-header-bytes " + MAX_HEADER), error.errorMessage());
            client.expectEof(REPLY_TIMEOUT);
        }
        awaitClosedFor(CloseReason.PROTOCOL_ERROR, 1);
    }

    @Test
    void jsonTextObjectFarOverTheLimitStillGetsItsErrorReplyBeforeTheClose() throws Exception {
        // 4 MiB of one unterminated object, much more than the server reads before it gives up: the bytes it never
        // reads must not turn the close into a reset that destroys the error reply on its way to the client.
        byte[] huge = Frames.utf8("{\"type\":\"echo\",\"id\":1,\"pad\":\"" + "y".repeat(4 << 20));
        try (RawClient client = RawClient.connect(server.port(), Framing.JSON_TEXT)) {
            CompletableFuture<Void> writing = client.writeInBackground(huge);
            Message error = client.read(REPLY_TIMEOUT);
            assertError(error, ErrorCode.TOO_LARGE, "error", null);
            client.expectEof(REPLY_TIMEOUT);
            // The writer ends either way: all written, or refused once the server has closed.
            writing.handle((written, refused) -> null).get(REPLY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Test
    void brokenJsonGetsMalformedThenClose() throws Exception {
        try (RawClient client = RawClient.connect(server.port(), Framing.JSON_TEXT)) {
            client.write(Frames.utf8("{\"type\":\"ping\",\"id\":1}\n{\"type\": nope}\n{\"type\":\"ping\",\"id\":3}\n"));
            assertEquals(1, client.read(REPLY_TIMEOUT).id().asLong());
            Message error = client.read(REPLY_TIMEOUT);
            assertError(error, ErrorCode.MALFORMED, "error", null);
            client.expectEof(REPLY_TIMEOUT); // nothing after the broken object is served
        }
        awaitClosedFor(CloseReason.PROTOCOL_ERROR, 1);
    }

    @Test
    void invalidUtf8InJsonTextGetsMalformedThenClose() throws Exception {
        byte[] request = Frames.concat(Frames.utf8("{\"type\":\"echo\",\"id\":1,\"text\":\""),
                new byte[] {(byte) 0xff, (byte) 0xfe, (byte) 0xc3}, Frames.utf8("\"}"));
        try (RawClient client = RawClient.connect(server.port(), Framing.JSON_TEXT)) {
            client.write(request);
            assertError(client.read(REPLY_TIMEOUT), ErrorCode.MALFORMED, "error", null);
            client.expectEof(REPLY_TIMEOUT);
        }
    }

    @Test
    void binaryFrameWithBrokenOrNonUtf8HeaderGetsMalformedThenClose() throws Exception {
        // Truncated JSON; a byte that starts no UTF-8 sequence; an encoded UTF-16 surrogate (invalid in UTF-8).
        for (byte[] header : List.of(Frames.utf8("{\"type\":"),
                Frames.concat(Frames.utf8("{\"type\":\"echo\",\"t\":\""), new byte[] {(byte) 0xff}, Frames.utf8("\"}")),
                Frames.concat(Frames.utf8("{\"type\":\"echo\",\"t\":\""), new byte[] {(byte) 0xed, (byte) 0xa0,
                        (byte) 0x80}, Frames.utf8("\"}")))) {
            try (RawClient client = RawClient.connect(server.port(), Framing.BINARY)) {
                client.write(Frames.concat(Frames.binary("{\"type\":\"ping\",\"id\":1}"), Frames.binary(header, new byte[0]),
                        Frames.binary("{\"type\":\"ping\",\"id\":3}")));
                assertEquals(1, client.read(REPLY_TIMEOUT).id().asLong());
                assertError(client.read(REPLY_TIMEOUT), ErrorCode.MALFORMED, "error", null);
                client.expectEof(REPLY_TIMEOUT);
            }
        }
    }

    @Test
    void aTextLineThatIsNoFramingGetsUnknownProtocolInJsonTextThenClose() throws Exception {
        // Someone typing at the port with nc (an HTTP request is served: see web/HttpEndpointsTest).
        try (RawClient client = RawClient.connect(server.port(), Framing.JSON_TEXT)) {
            client.write(Frames.utf8("hello server\r\n"));
            Message error = client.read(REPLY_TIMEOUT);
            assertError(error, ErrorCode.UNKNOWN_PROTOCOL, "error", null);
            assertTrue(error.errorMessage().contains("0x68"), "names the byte it saw: " + error.errorMessage());
            client.expectEof(REPLY_TIMEOUT);
        }
        awaitClosedFor(CloseReason.PROTOCOL_ERROR, 1);
    }

    @Test
    void tlsClientHelloGetsUnknownProtocolInJsonTextThenClose() throws Exception {
        // The start of a TLS 1.2 ClientHello record: handshake (0x16), version 3.1, length, ClientHello (0x01).
        byte[] hello = Frames.concat(new byte[] {0x16, 0x03, 0x01, 0x00, (byte) 0xa5, 0x01, 0x00, 0x00, (byte) 0xa1,
                0x03, 0x03}, Frames.randomBytes(160, 16));
        try (RawClient client = RawClient.connect(server.port(), Framing.JSON_TEXT)) {
            client.write(hello);
            Message error = client.read(REPLY_TIMEOUT);
            assertError(error, ErrorCode.UNKNOWN_PROTOCOL, "error", null);
            assertTrue(error.errorMessage().contains("0x16"), error.errorMessage());
            client.expectEof(REPLY_TIMEOUT);
        }
    }

    @Test
    void unknownProtocolWithMuchMoreDataBehindItStillGetsItsReplyBeforeTheClose() throws Exception {
        // Far more than one read (an HTTP upload gets its 405 the same way: web/HttpEndpointsTest). The unread rest
        // must not turn the close into a reset.
        byte[] upload = Frames.concat(Frames.utf8("XPOST /upload HTTP/1.1\r\nContent-Length: 4194304\r\n\r\n"),
                Frames.randomBytes(4 << 20, 4));
        try (RawClient client = RawClient.connect(server.port(), Framing.JSON_TEXT)) {
            CompletableFuture<Void> writing = client.writeInBackground(upload);
            assertError(client.read(REPLY_TIMEOUT), ErrorCode.UNKNOWN_PROTOCOL, "error", null);
            client.expectEof(REPLY_TIMEOUT);
            // The writer ends either way: all written, or refused once the server has closed.
            writing.handle((written, refused) -> null).get(REPLY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void awaitClosedFor(CloseReason reason, long atLeast) {
        await().atMost(REPLY_TIMEOUT).untilAsserted(() -> {
            assertTrue(server.stats().closes().get(reason) >= atLeast, "closes: " + server.stats().closes());
            assertEquals(0, server.stats().connectionsOpen());
        });
    }
}
