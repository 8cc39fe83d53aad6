package io.courier.protocol.websocket;

import io.courier.protocol.Json;
import io.courier.protocol.Limits;
import io.courier.protocol.Message;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;

import static io.courier.protocol.websocket.WsStreams.binary;
import static io.courier.protocol.websocket.WsStreams.clientFrame;
import static io.courier.protocol.websocket.WsStreams.concat;
import static io.courier.protocol.websocket.WsStreams.text;
import static io.courier.protocol.websocket.WsStreams.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RFC 6455 framing of Courier messages, each case also fed in random chunks and one byte at a time. */
class WebSocketDecoderTest {
    private static List<String> decode(Limits limits, byte[] stream) {
        List<String> whole = WsStreams.feed(limits, List.of(stream));
        assertEquals(whole, WsStreams.feed(limits, WsStreams.byteByByte(stream)), "byte by byte");
        for (int seed = 0; seed < 5; seed++) {
            assertEquals(whole, WsStreams.feed(limits, WsStreams.randomChunks(stream, new Random(seed), 7)),
                    "random chunks " + seed);
        }
        return whole;
    }

    private static List<String> decode(byte[] stream) {
        return decode(Limits.DEFAULTS, stream);
    }

    @Test
    void aTextMessageIsOneJsonMessage() {
        assertEquals(List.of("message TEXT {\"type\":\"ping\",\"id\":1} body="),
                decode(text("{\"type\":\"ping\",\"id\":1}")));
    }

    @Test
    void aBinaryMessageIsOneBinaryFrameWithItsBody() {
        assertEquals(List.of("message BINARY {\"type\":\"file.put\"} body=AAEC"),
                decode(binary("{\"type\":\"file.put\"}", new byte[] {0, 1, 2})));
    }

    @Test
    void fragmentsAreReassembledAndAPingInBetweenIsAnswered() {
        byte[] json = utf8("{\"type\":\"echo\",\"text\":\"\u4f60\u597d\"}");
        byte[] stream = concat(
                clientFrame(WebSocket.OP_TEXT, false, java.util.Arrays.copyOfRange(json, 0, 5)),
                clientFrame(WebSocket.OP_PING, true, utf8("hi")),
                clientFrame(WebSocket.OP_CONTINUATION, false, java.util.Arrays.copyOfRange(json, 5, 24)),
                clientFrame(WebSocket.OP_CONTINUATION, true, java.util.Arrays.copyOfRange(json, 24, json.length)));
        assertEquals(List.of("ping 6869", "message TEXT {\"type\":\"echo\",\"text\":\"\u4f60\u597d\"} body="),
                decode(stream));
    }

    @Test
    void anUnmaskedClientFrameIsAProtocolError() {
        byte[] unmasked = WebSocketEncoder.frame(WebSocket.OP_TEXT, true, utf8("{\"type\":\"ping\"}"), null);
        assertEquals(List.of("thrown 1002 bad_request"), decode(unmasked));
    }

    @Test
    void aMessageOverTheLimitIsRefusedFromItsFrameHeaders() {
        Limits small = new Limits(24, 8);
        assertEquals(List.of("message TEXT {\"type\":\"a\"} body=", "thrown 1009 too_large"), decode(small,
                concat(text("{\"type\":\"a\"}"), text("{\"type\":\"a\",\"pad\":\"xxxxxxxx\"}"))));
        // fragments count together: 3 frames of 10 bytes are a 30-byte message
        byte[] ten = utf8("          ");
        assertEquals(List.of("thrown 1009 too_large"), decode(small, concat(
                clientFrame(WebSocket.OP_TEXT, false, ten), clientFrame(WebSocket.OP_CONTINUATION, false, ten),
                clientFrame(WebSocket.OP_CONTINUATION, true, ten))));
        // binary: 8 + max-header-bytes + max-body-bytes
        assertEquals(List.of("message BINARY {\"type\":\"x\"} body=AQIDBAUGBwg="),
                decode(small, binary("{\"type\":\"x\"}", new byte[] {1, 2, 3, 4, 5, 6, 7, 8})));
        assertEquals(List.of("thrown 1009 too_large"), decode(small,
                binary("{\"type\":\"x\",\"pad\":\"yyyyyyy\"}", new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9})));
    }

    @Test
    void textThatIsNotUtf8OrNotJsonClosesWith1007() {
        byte[] invalid = clientFrame(WebSocket.OP_TEXT, true, new byte[] {'{', '"', (byte) 0xc0, (byte) 0x80, '"'});
        assertEquals(List.of("thrown 1007 malformed"), decode(invalid));
        assertEquals(List.of("thrown 1007 malformed"), decode(text("{\"type\":\"x\",]")));
    }

    @Test
    void aMessageMustCarryExactlyOneMessageAndTheConnectionGoesOn() {
        assertEquals(List.of("error TEXT bad_request null", "error TEXT bad_request null",
                        "error BINARY bad_request null", "error TEXT bad_request null",
                        "message TEXT {\"type\":\"ok\"} body="),
                decode(concat(text("{\"type\":\"a\"}{\"type\":\"b\"}"), text("{\"type\":\"a\""),
                        binary("{\"type\":\"a\"}", new byte[0]).length > 0
                                ? clientFrame(WebSocket.OP_BINARY, true, new byte[] {0, 0, 0, 9, 0, 0, 0, 0, '{'})
                                : null,
                        text("   "), text("{\"type\":\"ok\"}"))));
        // the framing's own in-sync errors pass through, with the request's type
        assertEquals(List.of("error TEXT bad_request null", "message TEXT {\"type\":\"ok\"} body="),
                decode(concat(text("{\"id\":1}"), text("{\"type\":\"ok\"}"))));
    }

    @Test
    void brokenFramesAreProtocolErrors() {
        assertEquals(List.of("thrown 1002 bad_request"),
                decode(clientFrame(WebSocket.OP_CONTINUATION, true, utf8("x"))));
        byte[] reserved = text("{\"type\":\"a\"}");
        reserved[0] |= 0x40;
        assertEquals(List.of("thrown 1002 bad_request"), decode(reserved));
        assertEquals(List.of("thrown 1002 bad_request"), decode(clientFrame(WebSocket.OP_PING, false, new byte[0])));
        assertEquals(List.of("thrown 1002 bad_request"), decode(clientFrame(WebSocket.OP_PING, true, new byte[126])));
        assertEquals(List.of("thrown 1002 bad_request"), decode(clientFrame(0x3, true, new byte[0])));
        assertEquals(List.of("thrown 1002 bad_request"), decode(concat(
                clientFrame(WebSocket.OP_TEXT, false, utf8("{")), text("{}"))));
    }

    @Test
    void aCloseFrameEndsTheStream() {
        byte[] close = clientFrame(WebSocket.OP_CLOSE, true, concat(new byte[] {0x03, (byte) 0xe8}, utf8("bye")));
        assertEquals(List.of("message TEXT {\"type\":\"a\"} body=", "close 1000 bye"),
                decode(concat(text("{\"type\":\"a\"}"), close, text("{\"type\":\"ignored\"}"))));
        assertEquals(List.of("close 1005 "), decode(clientFrame(WebSocket.OP_CLOSE, true, new byte[0])));
        assertEquals(List.of("thrown 1002 bad_request"),
                decode(clientFrame(WebSocket.OP_CLOSE, true, new byte[] {0x03, (byte) 0xed})));
    }

    @Test
    void theServersFramesDecodeBackInBothKinds() throws Exception {
        Message message = new Message(Json.MAPPER.createObjectNode().put("type", "echo").put("n", 7),
                new byte[70_000]);
        for (MessageKind kind : MessageKind.values()) {
            ByteBuffer encoded = WebSocketEncoder.of(kind).encode(message);
            assertEquals(0x80 | kind.opcode(), encoded.get(0) & 0xff, "one unfragmented message");
            assertEquals(0, encoded.get(1) & 0x80, "the server does not mask");
            WsStreams.Recorder recorder = new WsStreams.Recorder();
            new WebSocketDecoder(Limits.DEFAULTS, false).decode(encoded, recorder);
            assertEquals(1, recorder.messages.size(), recorder.lines::toString);
            assertEquals(message.header(), recorder.messages.get(0).header());
            assertArrayEquals(message.body(), recorder.messages.get(0).body());
        }
        ByteBuffer text = WebSocketEncoder.of(MessageKind.TEXT).encode(Message.of("ping"));
        assertEquals('}', text.get(text.limit() - 1), "no newline after the JSON object");
    }

    @Test
    void theAcceptKeyIsRfc6455s() {
        assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", WebSocket.acceptKey("dGhlIHNhbXBsZSBub25jZQ=="));
        byte[] close = WebSocketEncoder.close(1001, "x".repeat(200));
        assertTrue(close.length <= 127, "a close frame fits in a control frame");
    }
}
