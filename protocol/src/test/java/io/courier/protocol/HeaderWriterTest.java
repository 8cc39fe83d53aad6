package io.courier.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.courier.protocol.websocket.MessageKind;
import io.courier.protocol.websocket.WebSocketEncoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A header written by {@link HeaderWriter} encodes, in every framing, to exactly the bytes the tree-based path
 * writes for the same fields: binary frames, JSON text, and WebSocket text and binary messages.
 */
class HeaderWriterTest {
    private static final List<MessageEncoder> ENCODERS = List.of(Framing.BINARY.encoder(),
            Framing.JSON_TEXT.encoder(), WebSocketEncoder.of(MessageKind.TEXT), WebSocketEncoder.of(MessageKind.BINARY));

    /** Ids of every JSON type, and strings that need every kind of escape and UTF-8 length. */
    static List<String> ids() {
        List<String> ids = new ArrayList<>(List.of("0", "7", "-1", "2147483648", "9223372036854775807",
                "-9223372036854775808", "9223372036854775808", "123456789012345678901234567890", "1.5", "-0.0",
                "1e300", "1.0E-7", "12.50", "true", "false", "[]", "[1,\"a\",null]", "{}", "{\"a\":{\"b\":[1.25]}}",
                "\"\"", "\"abc\"", "\"quote \\\" backslash \\\\ slash /\"", "\"\\b\\t\\n\\f\\r\\u0000\\u001f\\u007f\"",
                "\"é ß ü\"", "\"日本語 ∑ €\"", "\"😀 𝄞 two astral\"", "\"\\u00e9 escaped in\"", "\"<\\u2028>\""));
        StringBuilder allAscii = new StringBuilder("\"");
        for (int c = 1; c < 128; c++) {
            allAscii.append(c == '"' || c == '\\' ? "\\" + (char) c : c < 0x20 ? String.format("\\u%04x", c) : (char) c);
        }
        ids.add(allAscii.append('"').toString());
        return ids;
    }

    @ParameterizedTest
    @MethodSource("ids")
    void aReplyEncodesAsItsTreeForEveryIdAndFraming(String idJson) throws Exception {
        JsonNode id = Json.MAPPER.readTree(idJson);
        Message request = Message.of("ping ✓").with(Message.ID, id);
        Message built = HeaderWriter.replyTo(request).field("time", 1_700_000_000_123L).field("text", id.toString())
                .field("n", -42).field("flag", false).field("value", id).message();
        Message tree = Message.replyTo(request).with("time", 1_700_000_000_123L).with("text", id.toString())
                .with("n", -42).with("flag", false).with("value", id);
        assertSameEncodings(tree, built);
        assertEquals(tree.id(), built.id());
        assertEquals("ping ✓", built.type());
    }

    @ParameterizedTest
    @MethodSource("ids")
    void anEventWithStringsListsAndABodyEncodesAsItsTree(String idJson) throws Exception {
        String text = Json.MAPPER.readTree(idJson).toString();
        byte[] body = {0, 1, 2, (byte) 0xff, 'x'};
        Message built = HeaderWriter.of("room.message").field("room", text).field("members", List.of("a", text, ""))
                .field("seq", Long.MIN_VALUE).field("epoch", (String) null).message(body);
        ObjectNode header = Json.NODES.objectNode();
        header.put(Message.TYPE, "room.message");
        header.put("room", text);
        header.putArray("members").add("a").add(text).add("");
        header.put("seq", Long.MIN_VALUE);
        header.putNull("epoch");
        assertSameEncodings(new Message(header, body), built);
        assertSameEncodings(new Message(header, body).shared(), built.withBody(body).shared());
    }

    @Test
    void numbersAndBigValuesAreSpelledAsJacksonSpellsThem() {
        for (long n : new long[] {0, 1, 9, 10, 99, 100, -5, 999_999_999, 1_000_000_000, Integer.MAX_VALUE,
            1_733_160_000_000L, Integer.MAX_VALUE + 1L, 9_999_999_999L, Long.MAX_VALUE, Long.MIN_VALUE,
            Integer.MIN_VALUE}) {
            assertSameEncodings(Message.of("t").with("n", n), HeaderWriter.of("t").field("n", n).message());
        }
        JsonNode big = Json.NODES.numberNode(new BigInteger("123456789012345678901234567890"));
        JsonNode decimal = Json.NODES.numberNode(new BigDecimal("1.2300"));
        JsonNode fraction = Json.NODES.numberNode(0.1);
        assertSameEncodings(Message.of("t").with("a", big).with("b", decimal).with("c", fraction),
                HeaderWriter.of("t").field("a", big).field("b", decimal).field("c", fraction).message());
    }

    @Test
    void everyDigitCountIsSpelledRight() {
        // Digits go two at a time, from a table: each length, both sides of each power of ten, odd and even.
        List<Long> values = new ArrayList<>();
        for (long n = 0; n <= 1_000; n++) {
            values.add(n);
        }
        for (long power = 10; power > 0 && power <= Long.MAX_VALUE / 10; power *= 10) {
            for (long n : new long[] {power - 1, power, power + 1, power * 7 + 3, power * 10 - 1}) {
                values.add(n);
                values.add(-n);
            }
        }
        for (long n : values) {
            String expected = "{\"type\":\"t\",\"n\":" + n + "}";
            String written = new String(bytes(Framing.JSON_TEXT.encoder().encode(
                    HeaderWriter.of("t").field("n", n).message())), java.nio.charset.StandardCharsets.UTF_8);
            assertEquals(expected + "\n", written, "n = " + n);
        }
    }

    @Test
    void aBuiltReplyAnswersTheAccessorsWithoutATreeAndBuildsOneOnDemand() throws Exception {
        Message request = Message.of("ping").with(Message.ID, 3);
        Message built = HeaderWriter.replyTo(request).field("time", 5).message();
        assertTrue(built.isReply());
        assertTrue(built.isOk());
        assertNull(built.errorCode());
        assertNull(built.errorMessage());
        assertEquals(Message.replyTo(request).with("time", 5).header().toString(), built.header().toString());

        Message event = HeaderWriter.of("room.left").field("reason", "left").message();
        assertFalse(event.isReply());
        assertFalse(event.isOk());
        assertEquals("left", event.textField("reason"));
        assertTrue(event.asReply().isOk());
        // As for any lazy header, asReply splices "ok":true in front of the fields, where a tree appends it.
        Message asReply = HeaderWriter.of("room.left").field("reason", "left").message().asReply();
        assertEquals(Message.of("room.left").with("reason", "left").with(Message.OK, true).header(),
                Json.MAPPER.readTree(bytes(Framing.JSON_TEXT.encoder().encode(asReply))));
    }

    @Test
    void anUnpairedSurrogateFailsAsTheTreeFails() {
        String lone = "a\ud800b";
        Message tree = Message.of("t").with("s", lone);
        String treeFailure = failure(() -> Framing.BINARY.encoder().encode(tree));
        String builtFailure = failure(() -> HeaderWriter.of("t").field("s", lone).message());
        assertEquals(treeFailure != null, builtFailure != null, "tree: " + treeFailure + "; built: " + builtFailure);
    }

    private static String failure(Runnable action) {
        try {
            action.run();
            return null;
        } catch (RuntimeException e) {
            return e.toString();
        }
    }

    private static void assertSameEncodings(Message tree, Message built) {
        for (MessageEncoder encoder : ENCODERS) {
            byte[] expected = bytes(encoder.encode(tree));
            assertArrayEquals(expected, bytes(encoder.encode(built)),
                    () -> encoder + ": expected " + new String(expected, java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }
}
