package io.courier.server.hostile;

import io.courier.protocol.ErrorCode;
import io.courier.protocol.Framing;
import io.courier.protocol.Message;
import io.courier.server.Server;
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

import static io.courier.server.hostile.Hostile.PROMPT;
import static io.courier.server.hostile.Hostile.assertError;
import static io.courier.server.hostile.Hostile.pingWithin;
import static io.courier.server.support.TestServers.REPLY_TIMEOUT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile bytes over a real socket against a server with the default limits, each answered with the error
 * PROTOCOL.md documents for it, while a bystander is served throughout.
 *
 * <p>Covered elsewhere, and so not repeated here: headers that are valid JSON but not objects, in both framings
 * (ErrorsThatKeepTheConnectionTest.headerThatIsNotAnObjectIsBadRequestAndConnectionStaysOpen); bytes that are
 * never UTF-8 and broken sequences, in both framings (ErrorsThatCloseTheConnectionTest.
 * invalidUtf8InJsonTextGetsMalformedThenClose and binaryFrameWithBrokenOrNonUtf8HeaderGetsMalformedThenClose; the
 * overlong forms Jackson accepted are here); nesting 100,000 deep in both framings
 * (MessageLimitsTest.jsonNested100000DeepGetsAnErrorReplyAndTheServerKeepsServing); an HTTP request and a TLS
 * ClientHello (ErrorsThatCloseTheConnectionTest.httpRequestGetsUnknownProtocolInJsonTextThenClose and
 * tlsClientHelloGetsUnknownProtocolInJsonTextThenClose).
 */
@ExtendWith(NoErrorLogged.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HostileInputTest {
    private static final long GIB = 1L << 30;

    private Server server;
    private RawClient bystander;

    @BeforeEach
    void start() throws Exception {
        server = TestServers.start();
        bystander = RawClient.connect(server.port(), Framing.BINARY);
    }

    @AfterEach
    void stop() throws Exception {
        try {
            pingWithin(bystander, 99, PROMPT);
            bystander.close();
        } finally {
            server.close();
        }
    }

    @Test
    void headerLengthOfGigabytesIsTooLargeAndTheConnectionStaysOpenWithoutBufferingIt() throws Exception {
        try (RawClient client = RawClient.connect(server.port(), Framing.BINARY)) {
            pingWithin(client, 1, PROMPT); // binary framing fixed: now a first byte other than 0x00 is fine
            client.write(Frames.concat(Frames.prefix(3 * GIB, 0), Frames.randomBytes(256 * 1024, 1)));
            Message error = client.read(REPLY_TIMEOUT);
            assertError(error, ErrorCode.TOO_LARGE, "error");
            assertTrue(error.errorMessage().contains("header length " + 3 * GIB + " exceeds max-header-bytes 1048576"),
                    error.errorMessage());
            // The server skips the 3 GiB it was promised as they come, holding none of them: the connection stays.
            assertEquals(2, server.stats().connectionsOpen());
        }
        // The server sees that close in a turn of its own; counted before it, the next client would make three.
        await().atMost(REPLY_TIMEOUT).until(() -> server.stats().connectionsOpen() == 1);
        try (RawClient client = RawClient.connect(server.port(), Framing.BINARY)) {
            // As the very first frame: 16 MiB - 1 of header (the first byte stays 0x00) and 4 GiB - 1 of body.
            client.write(Frames.prefix((1 << 24) - 1, 4 * GIB - 1));
            assertError(client.read(REPLY_TIMEOUT), ErrorCode.TOO_LARGE, "error");
            assertEquals(2, server.stats().connectionsOpen());
        }
    }

    @Test
    void bodyLengthOfGigabytesIsTooLargeWithTheRequestsTypeAndIdAndTheConnectionStaysOpen() throws Exception {
        byte[] header = Frames.utf8("{\"type\":\"echo\",\"id\":7}");
        try (RawClient client = RawClient.connect(server.port(), Framing.BINARY)) {
            client.write(Frames.concat(Frames.prefix(header.length, 4 * GIB - 1), header, new byte[1000]));
            Message error = client.read(REPLY_TIMEOUT);
            assertError(error, ErrorCode.TOO_LARGE, "echo");
            assertEquals(7, error.id().asLong());
            assertTrue(error.errorMessage().contains("body length " + (4 * GIB - 1) + " exceeds max-body-bytes 16777216"),
                    error.errorMessage());
            assertEquals(2, server.stats().connectionsOpen());
        }
    }

    @Test
    void zeroLengthHeaderIsBadRequestItsBodyIsSkippedAndTheNextFrameIsServed() throws Exception {
        try (RawClient client = RawClient.connect(server.port(), Framing.BINARY)) {
            // No body, then a body that must be skipped exactly (it holds what looks like a ping frame).
            byte[] decoy = Frames.binary("{\"type\":\"ping\",\"id\":666}");
            client.write(Frames.concat(Frames.prefix(0, 0), Frames.prefix(0, decoy.length), decoy,
                    Frames.binary("{\"type\":\"ping\",\"id\":3}")));
            List<Message> replies = client.read(3, REPLY_TIMEOUT);
            for (Message error : replies.subList(0, 2)) {
                assertError(error, ErrorCode.BAD_REQUEST, "error");
                assertTrue(error.errorMessage().contains("header length is 0"), error.errorMessage());
            }
            assertEquals(3, replies.get(2).id().asLong(), "the decoy in the skipped body was not served");
            assertTrue(replies.get(2).isOk());
        }
    }

    @Test
    void tenMebibyteStringInABinaryHeaderIsTooLargeAndSkippedAndTheNextFrameIsServed() throws Exception {
        byte[] header = Frames.utf8("{\"type\":\"echo\",\"id\":1,\"s\":\"" + "x".repeat(10 << 20) + "\"}");
        try (RawClient client = RawClient.connect(server.port(), Framing.BINARY)) {
            CompletableFuture<Void> writing = client.writeInBackground(Frames.concat(
                    Frames.binary(header, new byte[0]), Frames.binary("{\"type\":\"ping\",\"id\":2}")));
            Message error = client.read(REPLY_TIMEOUT);
            assertError(error, ErrorCode.TOO_LARGE, "error");
            assertTrue(error.errorMessage().contains("max-header-bytes 1048576"), error.errorMessage());
            Message pong = client.read(REPLY_TIMEOUT);
            assertEquals(2, pong.id().asLong());
            writing.get(REPLY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Test
    void tenMebibyteStringInJsonTextIsTooLargeThenClose() throws Exception {
        byte[] huge = Frames.utf8("{\"type\":\"echo\",\"id\":1,\"s\":\"" + "x".repeat(10 << 20) + "\"}\n");
        try (RawClient client = RawClient.connect(server.port(), Framing.JSON_TEXT)) {
            CompletableFuture<Void> writing = client.writeInBackground(huge);
            Message error = client.read(REPLY_TIMEOUT);
            assertError(error, ErrorCode.TOO_LARGE, "error");
            assertTrue(error.errorMessage().contains("max-header-bytes 1048576"), error.errorMessage());
            client.expectEof(REPLY_TIMEOUT);
            // The writer ends either way: all written (the server drains while it closes), or refused.
            writing.handle((written, refused) -> null).get(REPLY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
        awaitClosedFor(CloseReason.PROTOCOL_ERROR, 1);
    }

    @Test
    void rawNulBytesInJsonTextAreMalformedThenClose() throws Exception {
        List<String> hostile = List.of(
                "{\"type\":\"echo\",\"id\":2,\"text\":\"a\u0000b\"}",    // inside a string
                "{\"type\":\"echo\",\"id\":2,\u0000\"text\":\"a\"}",     // between tokens
                "\u0000{\"type\":\"echo\",\"id\":2}",                  // between two messages
                "{\"type\":\"echo\u0000\",\"id\":2}");                 // inside the type
        for (String text : hostile) {
            try (RawClient client = RawClient.connect(server.port(), Framing.JSON_TEXT)) {
                client.write(Frames.utf8("{\"type\":\"ping\",\"id\":1}\n" + text + "\n{\"type\":\"ping\",\"id\":3}\n"));
                assertEquals(1, client.read(REPLY_TIMEOUT).id().asLong(), "the message before the NUL is served");
                Message error = client.read(REPLY_TIMEOUT);
                assertError(error, ErrorCode.MALFORMED, "error");
                assertTrue(error.errorMessage().contains("code 0"), "names the character: " + error.errorMessage());
                client.expectEof(REPLY_TIMEOUT); // nothing after it is served
            }
        }
        awaitClosedFor(CloseReason.PROTOCOL_ERROR, hostile.size());
    }

    @Test
    void rawNulByteInABinaryHeaderIsMalformedThenCloseButAnEscapedOneIsJustACharacter() throws Exception {
        try (RawClient client = RawClient.connect(server.port(), Framing.BINARY)) {
            client.write(Frames.binary("{\"type\":\"echo\",\"id\":1,\"text\":\"a\\u0000b\"}"));
            Message echo = client.read(REPLY_TIMEOUT);
            assertEquals("a\u0000b", echo.header().path("text").textValue(), "escaped, NUL is an ordinary character");
            client.write(Frames.binary("{\"type\":\"echo\",\"id\":2,\"text\":\"a\u0000b\"}"));
            assertError(client.read(REPLY_TIMEOUT), ErrorCode.MALFORMED, "error");
            client.expectEof(REPLY_TIMEOUT);
        }
        try (RawClient client = RawClient.connect(server.port(), Framing.JSON_TEXT)) {
            client.write(Frames.utf8("{\"type\":\"echo\",\"id\":1,\"text\":\"a\\u0000b\"}\n"));
            assertEquals("a\u0000b", client.read(REPLY_TIMEOUT).header().path("text").textValue());
        }
    }

    @Test
    void overlongUtf8AndCodePointsPastTheLastAreMalformedInBothFramings() throws Exception {
        // Jackson alone took C0 AF as '/' and F4 90 80 80 as two lone surrogates (found by ConnectionBytesFuzzTest);
        // echoed back, the latter made a reply the client could not parse.
        byte[][] invalid = {{(byte) 0xc0, (byte) 0xaf}, {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}};
        for (byte[] bytes : invalid) {
            byte[] header = Frames.concat(Frames.utf8("{\"type\":\"echo\",\"id\":2,\"text\":\""), bytes,
                    Frames.utf8("\"}"));
            try (RawClient text = RawClient.connect(server.port(), Framing.JSON_TEXT);
                 RawClient binary = RawClient.connect(server.port(), Framing.BINARY)) {
                text.write(Frames.concat(Frames.utf8("{\"type\":\"ping\",\"id\":1}\n"), header, Frames.utf8("\n")));
                binary.write(Frames.concat(Frames.binary("{\"type\":\"ping\",\"id\":1}"),
                        Frames.binary(header, new byte[0])));
                for (RawClient client : List.of(text, binary)) {
                    assertEquals(1, client.read(REPLY_TIMEOUT).id().asLong());
                    Message error = client.read(REPLY_TIMEOUT);
                    assertError(error, ErrorCode.MALFORMED, "error");
                    assertTrue(error.errorMessage().contains("UTF-8"), error.errorMessage());
                    client.expectEof(REPLY_TIMEOUT);
                }
            }
        }
        awaitClosedFor(CloseReason.PROTOCOL_ERROR, 2L * invalid.length);
    }

    private void awaitClosedFor(CloseReason reason, long count) {
        await().atMost(REPLY_TIMEOUT).untilAsserted(() -> {
            assertEquals(count, server.stats().closes().get(reason), server.stats().closes().toString());
            assertEquals(1, server.stats().connectionsOpen(), "only the bystander is left");
        });
    }
}
