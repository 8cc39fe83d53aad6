package io.courier.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.courier.protocol.Streams.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What JSON text a text connection accepts and what each object decodes to. */
class JsonTextSyntaxTest {

    private static List<Message> decode(String text) throws ProtocolException {
        JsonStreamDecoder decoder = new JsonStreamDecoder(Limits.DEFAULTS);
        Streams.Recorder recorder = new Streams.Recorder();
        decoder.decode(ByteBuffer.wrap(utf8(text)), recorder);
        assertTrue(recorder.errors.isEmpty(), recorder.lines.toString());
        return recorder.messages;
    }

    private static Message decodeOne(String text) throws ProtocolException {
        List<Message> messages = decode(text);
        assertEquals(1, messages.size(), messages.toString());
        return messages.get(0);
    }

    private static List<String> types(List<Message> messages) {
        List<String> types = new ArrayList<>();
        for (Message message : messages) {
            types.add(message.type());
        }
        return types;
    }

    @Test
    void gluedObjectsAreSeparateMessagesNotExtraData() throws ProtocolException {
        assertEquals(List.of("a", "b"), types(decode("{\"type\":\"a\"}{\"type\":\"b\"}")));
        assertEquals(List.of("ping", "ping", "ping"), types(decode("{\"type\":\"ping\"}".repeat(3))));
    }

    @Test
    void newlineDelimitedJsonWithLfOrCrLfDecodesLineByLine() throws ProtocolException {
        assertEquals(List.of("a", "b", "c"), types(decode("{\"type\":\"a\"}\n{\"type\":\"b\"}\r\n{\"type\":\"c\"}\n")));
    }

    @Test
    void anyMixOfSpaceTabCrAndLfBetweenAndInsideObjectsIsIgnored() throws ProtocolException {
        char[] whitespace = {' ', '\t', '\r', '\n'};
        for (long seed = 1; seed <= 200; seed++) {
            Random random = new Random(seed);
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < 5; i++) {
                for (String part : new String[] {"", "{", "\"type\"", ":", "\"t" + i + "\"", ",", "\"n\"", ":",
                        "[", "1", ",", "2", "]", "}"}) {
                    text.append(part);
                    int spaces = random.nextInt(4);
                    for (int s = 0; s < spaces; s++) {
                        text.append(whitespace[random.nextInt(whitespace.length)]);
                    }
                }
            }
            assertEquals(List.of("t0", "t1", "t2", "t3", "t4"), types(decode(text.toString())), "seed " + seed);
        }
    }

    @Test
    void bracesBracketsQuotesAndBackslashesInsideStringsAreJustCharacters() throws ProtocolException {
        Message message = decodeOne("{\"type\":\"s\",\"a\":\"{\\\"}\",\"b\":\"\\\\\",\"c\":\"}\",\"d\":\"]\","
                + "\"e\":\"{[\",\"f\":\"\\\\\\\"}\",\"g}\":\"x\"}{\"type\":\"never glued\"");
        ObjectNode header = message.header();
        assertEquals("{\"}", header.get("a").textValue());
        assertEquals("\\", header.get("b").textValue());
        assertEquals("}", header.get("c").textValue());
        assertEquals("]", header.get("d").textValue());
        assertEquals("{[", header.get("e").textValue());
        assertEquals("\\\"}", header.get("f").textValue());
        assertEquals("x", header.get("g}").textValue());
    }

    @Test
    void escapesDecodeToTheirCharacters() throws ProtocolException {
        Message message = decodeOne("{\"type\":\"e\",\"s\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\","
                + "\"u\":\"\\u0041\\u00e9\\u4e16\\ud83d\\ude00\\u0000\"}");
        assertEquals("\"\\/\b\f\n\r\t", message.header().get("s").textValue());
        assertEquals("Aé世😀\u0000", message.header().get("u").textValue());
    }

    @Test
    void multiByteUtf8InNamesAndValuesDecodes() throws ProtocolException {
        Message message = decodeOne("{\"type\":\"聊天\",\"名字\":\"世界\",\"emoji😀\":\"🎉👍🏽\",\"id\":\"ид\"}");
        assertEquals("聊天", message.type());
        assertEquals("世界", message.header().get("名字").textValue());
        assertEquals("🎉👍🏽", message.header().get("emoji😀").textValue());
        assertEquals("ид", message.id().textValue());
    }

    @Test
    void nestedObjectsAndArraysBuildTheSameTreeAsTheBlockingParser() throws Exception {
        String text = "{\"type\":\"n\",\"o\":{\"a\":[1,[2,[3,{}]],{\"b\":{\"c\":[]}}],\"d\":{}},\"e\":[[[[]]]]}";
        assertEquals(Json.MAPPER.readTree(text), decodeOne(text).header());
    }

    @Test
    void numbersKeepTheirKindAndValue() throws ProtocolException {
        ObjectNode header = decodeOne("{\"type\":\"n\",\"int\":42,\"neg\":-7,\"zero\":0,\"maxInt\":2147483647,"
                + "\"long\":2147483648,\"minLong\":-9223372036854775808,\"big\":123456789012345678901234567890,"
                + "\"float\":-1.5e3,\"frac\":0.1,\"exp\":1E2,\"negZero\":-0.0}").header();
        assertTrue(header.get("int").isInt());
        assertEquals(42, header.get("int").intValue());
        assertEquals(-7, header.get("neg").intValue());
        assertEquals(0, header.get("zero").intValue());
        assertTrue(header.get("maxInt").isInt());
        assertTrue(header.get("long").isLong());
        assertEquals(2147483648L, header.get("long").longValue());
        assertEquals(Long.MIN_VALUE, header.get("minLong").longValue());
        assertTrue(header.get("big").isBigInteger());
        assertEquals(new BigInteger("123456789012345678901234567890"), header.get("big").bigIntegerValue());
        assertTrue(header.get("float").isDouble());
        assertEquals(-1500.0, header.get("float").doubleValue());
        assertEquals(0.1, header.get("frac").doubleValue());
        assertEquals(100.0, header.get("exp").doubleValue());
        assertEquals(-0.0, header.get("negZero").doubleValue(), "negative zero survives");
    }

    @Test
    void numbersDecodeLikeTheBlockingParserSoBothFramingsAgree() throws Exception {
        String text = "{\"type\":\"n\",\"a\":1,\"b\":-2147483649,\"c\":9223372036854775808,\"d\":3.25,\"e\":6.02e23,"
                + "\"f\":1e-300,\"g\":[0,-0,1.0,2E+3,-4e-2]}";
        JsonNode expected = Json.MAPPER.readTree(text);
        assertEquals(expected, decodeOne(text).header());
        List<String> binary = Streams.feed(new FrameDecoder(Limits.DEFAULTS), Streams.whole(Streams.frame(text)));
        assertEquals(List.of("message " + expected + " body="), binary);
    }

    @Test
    void booleansAndNullDecode() throws ProtocolException {
        ObjectNode header = decodeOne("{\"type\":\"b\",\"t\":true,\"f\":false,\"n\":null,\"a\":[true,false,null]}")
                .header();
        assertTrue(header.get("t").isBoolean() && header.get("t").booleanValue());
        assertTrue(header.get("f").isBoolean() && !header.get("f").booleanValue());
        assertTrue(header.get("n").isNull());
        assertEquals("[true,false,null]", header.get("a").toString());
    }

    @Test
    void nullIdCountsAsNoId() throws ProtocolException {
        Message message = decodeOne("{\"type\":\"x\",\"id\":null}");
        assertEquals(null, message.id());
        assertFalse(message.toString().isEmpty());
    }

    @Test
    void bodyBase64BecomesTheBodyAndLeavesTheHeader() throws ProtocolException {
        Message message = decodeOne("{\"type\":\"file.put\",\"id\":1,\"body_base64\":\"AAEC/f7/aGk=\"}");
        assertArrayEquals(new byte[] {0, 1, 2, (byte) 0xfd, (byte) 0xfe, (byte) 0xff, 'h', 'i'}, message.body());
        assertFalse(message.header().has(Message.BODY_BASE64));
        assertEquals("{\"type\":\"file.put\",\"id\":1}", message.header().toString());
    }

    @Test
    void emptyOrUnpaddedBodyBase64IsAccepted() throws ProtocolException {
        assertEquals(0, decodeOne("{\"type\":\"e\",\"body_base64\":\"\"}").bodyLength());
        assertArrayEquals(utf8("hi"), decodeOne("{\"type\":\"e\",\"body_base64\":\"aGk\"}").body());
    }

    @Test
    void objectWithoutBodyBase64HasAnEmptyBody() throws ProtocolException {
        Message message = decodeOne("{\"type\":\"ping\"}");
        assertEquals(0, message.bodyLength());
        assertArrayEquals(new byte[0], message.body());
    }

    @Test
    void duplicateFieldKeepsTheLastValueLikeTheBlockingParser() throws Exception {
        String text = "{\"type\":\"a\",\"type\":\"b\",\"x\":1,\"x\":{\"y\":2}}";
        assertEquals(Json.MAPPER.readTree(text), decodeOne(text).header());
        assertEquals("b", decodeOne(text).type());
    }

    @Test
    void longStringsAndManyFieldsDecode() throws ProtocolException {
        StringBuilder text = new StringBuilder("{\"type\":\"wide\"");
        for (int i = 0; i < 2000; i++) {
            text.append(",\"f").append(i).append("\":").append(i);
        }
        text.append(",\"long\":\"").append("ü".repeat(100_000)).append("\"}");
        ObjectNode header = decodeOne(text.toString()).header();
        assertEquals(2002, header.size());
        assertEquals(1999, header.get("f1999").intValue());
        assertEquals(100_000, header.get("long").textValue().length());
    }
}
