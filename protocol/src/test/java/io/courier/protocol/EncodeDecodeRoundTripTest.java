package io.courier.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static io.courier.protocol.Streams.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Encoding a message in either framing and decoding the bytes gives back the same header and body. */
class EncodeDecodeRoundTripTest {

    /** Random text: ASCII, quotes, backslashes, control characters, CJK, emoji (valid code points only). */
    static String randomText(Random random, int maxLength) {
        int[] pool = {'a', 'Z', '0', ' ', '"', '\\', '/', '{', '}', '[', ']', ',', ':', '\n', '\t', 0x00, 0x1f,
                0x7f, 0xe9, 0x4e16, 0x754c, 0x2028, 0xfeff, 0xfffd, 0x1f600, 0x1f389, 0x10ffff};
        StringBuilder text = new StringBuilder();
        int length = random.nextInt(maxLength + 1);
        for (int i = 0; i < length; i++) {
            text.appendCodePoint(random.nextInt(3) == 0 ? pool[random.nextInt(pool.length)]
                    : 0x20 + random.nextInt(0x5e));
        }
        return text.toString();
    }

    /** A random JSON value built from the node kinds the decoders produce for what the encoders write. */
    static JsonNode randomValue(Random random, int depth) {
        switch (random.nextInt(depth > 3 ? 8 : 10)) {
            case 0:
                return Json.NODES.textNode(randomText(random, 20));
            case 1:
                return Json.NODES.numberNode(random.nextInt());
            case 2:
                return Json.NODES.numberNode(random.nextBoolean() ? Long.MAX_VALUE - random.nextInt(1000)
                        : (long) Integer.MIN_VALUE - 1 - random.nextInt(1000));
            case 3:
                return Json.NODES.numberNode(BigInteger.valueOf(Long.MAX_VALUE).multiply(BigInteger.valueOf(
                        2 + random.nextInt(1000))));
            case 4:
                double[] specials = {0.5, -1.25e-300, 1.7976931348623157e308, 4.9e-324, 3.0, 1e20, -0.0};
                return Json.NODES.numberNode(random.nextBoolean() ? specials[random.nextInt(specials.length)]
                        : (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(40) - 20));
            case 5:
                return Json.NODES.booleanNode(random.nextBoolean());
            case 6:
                return Json.NODES.nullNode();
            case 7:
                return Json.NODES.numberNode(random.nextInt(10));
            case 8:
                ArrayNode array = Json.NODES.arrayNode();
                for (int i = random.nextInt(4); i > 0; i--) {
                    array.add(randomValue(random, depth + 1));
                }
                return array;
            default:
                ObjectNode object = Json.NODES.objectNode();
                for (int i = random.nextInt(4); i > 0; i--) {
                    object.set(randomText(random, 6), randomValue(random, depth + 1));
                }
                return object;
        }
    }

    static Message randomMessage(Random random) {
        ObjectNode header = Json.NODES.objectNode();
        header.put(Message.TYPE, "t" + randomText(random, 12));
        switch (random.nextInt(4)) {
            case 0:
                header.put(Message.ID, random.nextInt());
                break;
            case 1:
                header.put(Message.ID, randomText(random, 10));
                break;
            case 2:
                header.put(Message.ID, Long.MIN_VALUE + random.nextInt(100));
                break;
            default:
                break; // no id
        }
        for (int i = random.nextInt(6); i > 0; i--) {
            String name = randomText(random, 8);
            if (!name.equals(Message.TYPE) && !name.equals(Message.ID) && !name.equals(Message.BODY_BASE64)) {
                header.set(name, randomValue(random, 0));
            }
        }
        int[] sizes = {0, 0, 1, 3, 100, 4096, 4097, 20_000};
        byte[] body = Streams.randomBytes(random, sizes[random.nextInt(sizes.length)]);
        return new Message(header, body);
    }

    private static byte[] encode(Framing framing, List<Message> messages) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Message message : messages) {
            ByteBuffer encoded = framing.encoder().encode(message);
            assertEquals(0, encoded.position());
            out.write(encoded.array(), encoded.arrayOffset(), encoded.remaining());
        }
        return out.toByteArray();
    }

    private static void assertRoundTrip(Framing framing) {
        for (long seed = 1; seed <= 300; seed++) {
            Random random = new Random(seed);
            List<Message> sent = new ArrayList<>();
            for (int i = 1 + random.nextInt(5); i > 0; i--) {
                sent.add(randomMessage(random));
            }
            byte[] stream = encode(framing, sent);
            assertEquals(framing, Framing.detect(stream[0]), "seed " + seed);
            MessageDecoder decoder = framing.newDecoder(Limits.DEFAULTS);
            Streams.Recorder recorder = new Streams.Recorder();
            Streams.feed(decoder, Streams.randomChunks(stream, random, 1 + random.nextInt(3000)), recorder);
            assertEquals(sent.size(), recorder.messages.size(), "seed " + seed + " " + recorder.lines);
            for (int i = 0; i < sent.size(); i++) {
                Message got = recorder.messages.get(i);
                assertEquals(sent.get(i).header(), got.header(), "seed " + seed + " message " + i);
                assertArrayEquals(sent.get(i).body(), got.body(), "seed " + seed + " message " + i);
            }
        }
    }

    @Test
    void binaryFramesRoundTripRandomHeadersAndBodies() {
        assertRoundTrip(Framing.BINARY);
    }

    @Test
    void jsonTextRoundTripsRandomHeadersAndBodies() {
        assertRoundTrip(Framing.JSON_TEXT);
    }

    @Test
    void binaryFrameIsTheTwoLengthsThenTheUtf8HeaderThenTheBody() {
        Message message = Message.of("échec").with("n", 1).withBody(utf8("xyz"));
        ByteBuffer encoded = Framing.BINARY.encoder().encode(message);
        byte[] header = utf8("{\"type\":\"échec\",\"n\":1}");
        assertEquals(header.length, encoded.getInt(0));
        assertEquals(3, encoded.getInt(4));
        assertEquals(8 + header.length + 3, encoded.remaining());
        byte[] bytes = Arrays.copyOfRange(encoded.array(), 0, encoded.remaining());
        assertArrayEquals(header, Arrays.copyOfRange(bytes, 8, 8 + header.length));
        assertArrayEquals(utf8("xyz"), Arrays.copyOfRange(bytes, 8 + header.length, bytes.length));
    }

    @Test
    void jsonTextIsOneLineWithTheBodyAsBase64() {
        Message message = Message.of("a\nb").with("text", "line1\nline2\r\u2028").withBody(new byte[] {0, (byte) 0xff});
        ByteBuffer encoded = Framing.JSON_TEXT.encoder().encode(message);
        String line = new String(encoded.array(), 0, encoded.remaining(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(line.endsWith("\n"), line);
        assertEquals(line.length() - 1, line.indexOf('\n'), "exactly one newline, at the end: " + line);
        assertEquals("{\"type\":\"a\\nb\",\"text\":\"line1\\nline2\\r\u2028\",\"body_base64\":\"AP8=\"}\n", line);
    }

    @Test
    void emojiInNamesAndValuesAreWrittenAsUtf8AndDecodeAtEverySplit() {
        Message message = Message.of("chat😀").with("key🎉", "value😀").with("id", 1);
        for (Framing framing : Framing.values()) {
            ByteBuffer encoded = framing.encoder().encode(message);
            byte[] bytes = Arrays.copyOfRange(encoded.array(), 0, encoded.remaining());
            String text = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(text.contains("key🎉") && !text.toLowerCase(java.util.Locale.ROOT).contains("\\ud83"), text);
            for (int cut = 0; cut <= bytes.length; cut++) {
                List<String> lines = Streams.feed(framing.newDecoder(Limits.DEFAULTS), Streams.splitAt(bytes, cut));
                assertEquals(List.of("message {\"type\":\"chat😀\",\"key🎉\":\"value😀\",\"id\":1} body="), lines,
                        framing + " cut at " + cut);
            }
        }
    }

    @Test
    void jsonTextWithoutBodyHasNoBodyBase64Field() {
        ByteBuffer encoded = Framing.JSON_TEXT.encoder().encode(Message.of("ping"));
        assertEquals("{\"type\":\"ping\"}\n", new String(encoded.array(), 0, encoded.remaining(),
                java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void jsonTextWritesTheRealBodyOverAStaleBodyBase64InTheHeader() throws ProtocolException {
        Message message = Message.of("echo").with(Message.BODY_BASE64, "c3RhbGU=").withBody(utf8("fresh"));
        ByteBuffer encoded = Framing.JSON_TEXT.encoder().encode(message);
        String line = new String(encoded.array(), 0, encoded.remaining(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(1, line.split("body_base64", -1).length - 1, line);
        Streams.Recorder recorder = new Streams.Recorder();
        new JsonStreamDecoder(Limits.DEFAULTS).decode(encoded, recorder);
        assertArrayEquals(utf8("fresh"), recorder.messages.get(0).body());
    }

    @Test
    void largeBinaryBodyIsHandedToTheSinkByReferenceNotCopied() {
        byte[] body = new byte[100_000];
        List<byte[]> shared = new ArrayList<>();
        ByteSink sink = new ByteSink() {
            @Override
            public void write(byte[] source, int offset, int length) {
                assertTrue(length < body.length, "the large body was copied");
            }

            @Override
            public void writeShared(byte[] source) {
                shared.add(source);
            }
        };
        Framing.BINARY.encoder().encode(Message.of("file").withBody(body), sink);
        assertEquals(1, shared.size());
        assertSame(body, shared.get(0));
    }

    @Test
    void encodersAreStatelessAcrossManyMessagesInOneSink() throws ProtocolException {
        for (Framing framing : Framing.values()) {
            MessageEncoder.ArraySink sink = new MessageEncoder.ArraySink();
            for (int i = 0; i < 1000; i++) {
                framing.encoder().encode(Message.of("m").with("id", i).withBody(new byte[i % 7]), sink);
            }
            Streams.Recorder recorder = new Streams.Recorder();
            framing.newDecoder(Limits.DEFAULTS).decode(sink.toBuffer(), recorder);
            assertEquals(1000, recorder.messages.size(), framing.name());
            assertEquals(999, recorder.messages.get(999).id().intValue());
            assertEquals(999 % 7, recorder.messages.get(999).bodyLength());
        }
    }
}
