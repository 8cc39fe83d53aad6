package io.courier.server.web;

import io.courier.protocol.ProtocolException;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Request heads, whole or one byte at a time, and the heads that are refused (400, 431). */
class HttpRequestParserTest {
    private static ByteBuffer bytes(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void aHeadIsTheSameWholeOrByteByByte() throws Exception {
        String text = "GET /ws?x=1 HTTP/1.1\r\nHost: a\r\nX-A: 1\r\nx-a: 2\r\nUpgrade: WebSocket\r\n\r\n";
        HttpRequest whole = new HttpRequestParser().read(bytes(text));
        HttpRequestParser parser = new HttpRequestParser();
        HttpRequest single = null;
        for (int i = 0; i < text.length(); i++) {
            assertNull(single, "complete before its last byte");
            single = parser.read(bytes(text.substring(i, i + 1)));
        }
        assertEquals(whole, single);
        assertEquals("/ws", whole.path());
        assertEquals("1, 2", whole.header("X-A"));
        assertTrue(whole.headerHasToken("upgrade", "websocket"));
        assertTrue(whole.keepAlive());
        assertFalse(parser.hasPartialHead());
    }

    @Test
    void pipelinedHeadsComeOneByOneAndBareLineFeedsWork() throws Exception {
        ByteBuffer in = bytes("GET /a HTTP/1.1\nHost: x\n\n\r\nGET /b HTTP/1.0\r\n\r\n");
        HttpRequestParser parser = new HttpRequestParser();
        assertEquals("/a", parser.read(in).path());
        HttpRequest second = parser.read(in);
        assertEquals("/b", second.path());
        assertFalse(second.keepAlive(), "HTTP/1.0 closes");
    }

    @Test
    void headsThatAreNotHttpOrTooLongAreRefused() {
        assertEquals("bad_request", refused("GET /\r\n\r\n"));
        assertEquals("bad_request", refused("GET / HTTP/2.0\r\nHost: a\r\n\r\n"));
        assertEquals("bad_request", refused("GET / HTTP/1.1\r\n\r\n"));
        assertEquals("bad_request", refused("GET http://a/ HTTP/1.1\r\nHost: a\r\n\r\n"));
        assertEquals("bad_request", refused("GET / HTTP/1.1\r\nHost : a\r\n\r\n"));
        assertEquals("bad_request", refused("GET / HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n"));
        assertEquals("bad_request", refused("G\u00e9T / HTTP/1.1\r\nHost: a\r\n\r\n"));
        assertEquals("too_large", refused("GET / HTTP/1.1\r\nHost: a\r\nX: " + "y".repeat(9000) + "\r\n\r\n"));
    }

    private static String refused(String text) {
        ProtocolException error = assertThrows(ProtocolException.class, () -> new HttpRequestParser().read(bytes(text)));
        assertFalse(error.inSync());
        assertFalse(error.getMessage().isBlank());
        return error.code().wireName();
    }
}
