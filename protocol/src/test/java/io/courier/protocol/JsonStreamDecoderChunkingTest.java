package io.courier.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;

import static io.courier.protocol.Streams.byteByByte;
import static io.courier.protocol.Streams.feed;
import static io.courier.protocol.Streams.randomChunks;
import static io.courier.protocol.Streams.splitAt;
import static io.courier.protocol.Streams.utf8;
import static io.courier.protocol.Streams.whole;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** JSON text decodes to the same messages however the stream is cut into reads, multi-byte characters included. */
class JsonStreamDecoderChunkingTest {
    private static final Limits LIMITS = Limits.DEFAULTS;

    /** Each object of the sample stream, in order; the stream joins them with assorted whitespace or nothing. */
    static final String[] OBJECTS = {
            "{\"type\":\"a\"}",
            "{\"type\":\"b\"}",
            "{\"type\":\"nd\",\"id\":1}",
            "{\"type\":\"nd\",\"id\":2}",
            "{\"type\":\"str\",\"s\":\"{\\\"}\",\"t\":\"\\\\\",\"u\":\"}\",\"v\":\"][\",\"w\":\"\\\"{[\"}",
            "{\"type\":\"uni\",\"zh\":\"世界你好\",\"emoji\":\"😀🎉\",\"esc\":\"\\u00e9\\ud83d\\ude00\\n\\t\\/\"}",
            "{\"type\":\"名前\",\"😀key\":\"ü\",\"id\":\"ид-1\"}",
            "{ \"type\" : \"nest\" , \"o\" : { \"a\" : [ 1 , { \"b\" : [ [ ] ] } , { } ] } }",
            "{\"type\":\"num\",\"i\":42,\"neg\":-7,\"l\":1234567890123,\"big\":123456789012345678901234567890,"
                    + "\"f\":-1.5e3,\"g\":0.125,\"t\":true,\"f2\":false,\"n\":null}",
            "{\"type\":\"file\",\"id\":3,\"body_base64\":\"aGVsbG8gd29ybGQ=\"}",
            "{\"type\":\"bin\",\"body_base64\":\"AAECA/7/\"}",
            "{\"type\":\"last\"}",
    };
    private static final String[] SEPARATORS = {"", "\n", "\r\n", " \t\r\n ", "", "\n", "\t", "  ", "\r", "\n\n", ""};

    static byte[] sampleStream() {
        StringBuilder text = new StringBuilder(" \n");
        for (int i = 0; i < OBJECTS.length; i++) {
            text.append(OBJECTS[i]);
            if (i < SEPARATORS.length) {
                text.append(SEPARATORS[i]);
            }
        }
        return utf8(text.append("\n").toString());
    }

    /** What each object must decode to, worked out with Jackson's blocking parser one object at a time. */
    static List<String> expectedLines(String... objects) {
        List<String> lines = new ArrayList<>();
        for (String object : objects) {
            try {
                ObjectNode header = (ObjectNode) Json.MAPPER.readTree(object);
                JsonNode base64 = header.remove(Message.BODY_BASE64);
                byte[] body = base64 == null ? new byte[0] : Base64.getDecoder().decode(base64.textValue());
                lines.add(Streams.describe(new Message(header, body)));
            } catch (java.io.IOException e) {
                throw new AssertionError(object, e);
            }
        }
        return lines;
    }

    @Test
    void wholeStreamDecodesEveryObjectLikeTheBlockingParser() {
        assertEquals(expectedLines(OBJECTS), feed(new JsonStreamDecoder(LIMITS), whole(sampleStream())));
    }

    @Test
    void streamCutInTwoAtEveryOffsetDecodesTheSame() {
        byte[] stream = sampleStream();
        List<String> expected = expectedLines(OBJECTS);
        for (int cut = 0; cut <= stream.length; cut++) {
            assertEquals(expected, feed(new JsonStreamDecoder(LIMITS), splitAt(stream, cut)), "cut at " + cut);
        }
    }

    @Test
    void streamFedOneByteAtATimeDecodesTheSame() {
        assertEquals(expectedLines(OBJECTS), feed(new JsonStreamDecoder(LIMITS), byteByByte(sampleStream())));
    }

    @Test
    void streamInRandomChunkingsDecodesTheSame() {
        byte[] stream = sampleStream();
        List<String> expected = expectedLines(OBJECTS);
        for (long seed = 1; seed <= 300; seed++) {
            Random random = new Random(seed);
            List<byte[]> chunks = randomChunks(stream, random, 1 + random.nextInt(60));
            assertEquals(expected, feed(new JsonStreamDecoder(LIMITS), chunks), "seed " + seed);
        }
    }

    @Test
    void multiByteCharactersSplitAtEveryByteDecodeIntact() {
        String text = "中文字符 😀 emoji 🎉 é ü ñ \uD800\uDC00 \uDBFF\uDFFF";
        String object = "{\"type\":\"chat\",\"" + text + "\":\"" + text + "\"}";
        byte[] stream = utf8(object);
        for (int cut = 0; cut <= stream.length; cut++) {
            Streams.Recorder recorder = new Streams.Recorder();
            Streams.feed(new JsonStreamDecoder(LIMITS), splitAt(stream, cut), recorder);
            assertEquals(1, recorder.messages.size(), "cut at " + cut);
            assertEquals(text, recorder.messages.get(0).header().get(text).textValue(), "cut at " + cut);
        }
        Streams.Recorder recorder = new Streams.Recorder();
        Streams.feed(new JsonStreamDecoder(LIMITS), byteByByte(stream), recorder);
        assertEquals(text, recorder.messages.get(0).header().get(text).textValue());
    }

    @Test
    void clientSendingTooFastGetsEveryObjectFromOneBufferInOrder() {
        Random random = new Random(11);
        StringBuilder text = new StringBuilder();
        List<String> objects = new ArrayList<>();
        for (int id = 0; id < 5000; id++) {
            String object = "{\"type\":\"echo\",\"id\":" + id + ",\"v\":\"" + "x".repeat(random.nextInt(30)) + "\"}";
            objects.add(object);
            text.append(object).append(random.nextBoolean() ? "\n" : "");
        }
        assertEquals(expectedLines(objects.toArray(new String[0])),
                feed(new JsonStreamDecoder(LIMITS), whole(utf8(text.toString()))));
    }

    @Test
    void oneObjectOverManyBuffersIsDeliveredOnceAfterItsLastByte() throws ProtocolException {
        String object = "{\"type\":\"long\",\"text\":\"" + "abc😀".repeat(20_000) + "\"}";
        byte[] stream = utf8(object);
        JsonStreamDecoder decoder = new JsonStreamDecoder(LIMITS);
        Streams.Recorder recorder = new Streams.Recorder();
        int at = 0;
        while (at < stream.length) {
            int size = Math.min(1001, stream.length - at);
            decoder.decode(ByteBuffer.wrap(stream, at, size), recorder);
            at += size;
            if (at < stream.length) {
                assertTrue(recorder.messages.isEmpty(), "no message before its last byte, at " + at);
                assertTrue(decoder.hasPartialMessage(), "partial at " + at);
                assertEquals(at, decoder.bufferedBytes(), "bytes held for the partial object at " + at);
            }
        }
        assertEquals(expectedLines(object), recorder.lines);
    }

    @Test
    void largeBodyBase64ArrivesIntactInUnevenChunks() {
        byte[] body = Streams.randomBytes(new Random(2), 2 << 20);
        String object = "{\"type\":\"file.put\",\"id\":1,\"body_base64\":\"" + Base64.getEncoder().encodeToString(body)
                + "\"}\n{\"type\":\"after\"}";
        long seed = 21;
        Streams.Recorder recorder = new Streams.Recorder();
        Streams.feed(new JsonStreamDecoder(new Limits(4 << 20, 0)),
                randomChunks(utf8(object), new Random(seed), 50_000), recorder);
        assertEquals(2, recorder.messages.size(), "seed " + seed + " " + recorder.lines);
        assertArrayEquals(body, recorder.messages.get(0).body(), "seed " + seed);
        assertEquals("after", recorder.messages.get(1).type());
    }
}
