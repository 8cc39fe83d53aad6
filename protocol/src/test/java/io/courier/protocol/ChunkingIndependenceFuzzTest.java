package io.courier.protocol;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

import static io.courier.protocol.Streams.byteByByte;
import static io.courier.protocol.Streams.feed;
import static io.courier.protocol.Streams.randomChunks;
import static io.courier.protocol.Streams.splitAt;
import static io.courier.protocol.Streams.utf8;
import static io.courier.protocol.Streams.whole;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Whatever the bytes, valid or garbage, what a decoder reports (messages, in-sync errors, the out-of-sync error
 * that ends the stream) never depends on how the stream was cut into reads.
 */
class ChunkingIndependenceFuzzTest {

    /** Pieces of JSON text, valid and broken, that random streams are glued from. */
    private static final String[] JSON_PIECES = {
            "{", "}", "[", "]", ",", ":", " ", "\n", "\t", "\r\n", "\"type\"", "\"a\"", "\"id\"", "\"é😀中\"",
            "\"x,:}{][\\\"\"", "\"\\u00e9\\u4e2d\"", "\"\\ud83d\\ude00\"", "\\uD83D", "\\uDE00", "1", "-2.5e3", "12345678901234567890123", "true", "null",
            "fals", "{\"type\":\"t\"}", "{\"type\":\"t\",\"id\":1}", "{\"id\":2}", "\uFEFF", "\"body_base64\"",
            "\"aGk=\"", "{\"type\":\"b\",\"body_base64\":\"aGk=\"}", "\\", "'", "\u0001",
    };

    private static byte[] randomJsonText(Random random) {
        StringBuilder text = new StringBuilder();
        int pieces = 1 + random.nextInt(14);
        for (int i = 0; i < pieces; i++) {
            text.append(JSON_PIECES[random.nextInt(JSON_PIECES.length)]);
        }
        byte[] bytes = utf8(text.toString());
        if (random.nextInt(10) == 0 && bytes.length > 0) {
            bytes[random.nextInt(bytes.length)] = (byte) (0x80 + random.nextInt(0x80)); // now and then invalid UTF-8
        }
        // A final newline makes the decoder act on everything before it: without it, the few bytes of an escaped
        // surrogate at the very end may be waiting for the next read while a split stream already failed on them.
        return Streams.concat(bytes, utf8("\n"));
    }

    private static void assertChunkingIndependent(Supplier<MessageDecoder> decoders, byte[] stream, String context) {
        List<String> expected = feed(decoders.get(), whole(stream));
        for (int cut = 0; cut <= stream.length; cut++) {
            assertEquals(expected, feed(decoders.get(), splitAt(stream, cut)), context + " cut at " + cut);
        }
        assertEquals(expected, feed(decoders.get(), byteByByte(stream)), context + " byte by byte");
        Random random = new Random(stream.length);
        for (int round = 0; round < 5; round++) {
            assertEquals(expected, feed(decoders.get(), randomChunks(stream, random, 5)), context + " round " + round);
        }
    }

    @Test
    void randomJsonTextDecodesTheSameWhateverTheChunking() {
        for (long seed = 1; seed <= 2500; seed++) {
            byte[] stream = randomJsonText(new Random(seed));
            // The limit stays out of reach: garbage that is both malformed and too long may be refused for either
            // reason first, depending on when Jackson notices (it reads a bad token to its end before complaining).
            assertChunkingIndependent(() -> new JsonStreamDecoder(Limits.DEFAULTS), stream,
                    "seed " + seed + " text " + new String(stream, java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    @Test
    void byteOrderMarkBetweenObjectsIsMalformedWhateverTheChunking() {
        byte[] stream = utf8("{\"type\":\"a\"}\uFEFF{\"type\":\"b\"}");
        assertChunkingIndependent(() -> new JsonStreamDecoder(Limits.DEFAULTS), stream, "BOM");
        assertEquals(List.of("message {\"type\":\"a\"} body=", "thrown malformed inSync=false type=null id=null"),
                feed(new JsonStreamDecoder(Limits.DEFAULTS), whole(stream)));
    }

    @Test
    void escapedSurrogatePairsInFieldNamesDecodeWhereverAReadEnds() {
        // Jackson 2.x's non-blocking parser fails on such a pair in a field name when a read ends between its two
        // escapes; Python's json.dumps writes emoji keys like this by default.
        byte[] stream = utf8("{\"type\":\"t\",\"\\ud83d\\ude00\":1,\"a\\uD83C\\uDF89\\uD83D\\uDC4D\":\"\\ud83d\\ude00\"}"
                + "{\"type\":\"\\\\ud83d\\\\ude00\",\"\\\\ud83d\":2}");
        assertChunkingIndependent(() -> new JsonStreamDecoder(Limits.DEFAULTS), stream, "escaped pairs in names");
        assertEquals(List.of("message {\"type\":\"t\",\"😀\":1,\"a🎉👍\":\"😀\"} body=",
                        "message {\"type\":\"\\\\ud83d\\\\ude00\",\"\\\\ud83d\":2} body="),
                feed(new JsonStreamDecoder(Limits.DEFAULTS), whole(stream)));
    }

    @Test
    void brokenEscapeAfterAnEscapedHighSurrogateInAFieldNameIsMalformedWhereverAReadEnds() {
        // Found by ConnectionBytesFuzzTest: when a read ended inside the escape after an escaped high surrogate in
        // a field name, Jackson forgot the name: the first text below, cut after its "u0", became the message
        // {"type":"t","a":1}, and the second, cut after its "ud8", never got its error.
        String[] broken = {"{\"type\":\"t\",\"(\\ud83d\\u0,\"a\":1}", "{\"type\":\"t\",\"(\\ud83d\\ud8\n",
                "{\"type\":\"t\",\"\\uDBFF\\u0041\":1}", "{\"type\":\"t\",\"\\ud83d\\\\\":1}"};
        for (String text : broken) {
            byte[] stream = utf8(text + "\n");
            assertChunkingIndependent(() -> new JsonStreamDecoder(Limits.DEFAULTS), stream, text);
            assertEquals(List.of("thrown malformed inSync=false type=null id=null"),
                    feed(new JsonStreamDecoder(Limits.DEFAULTS), whole(stream)), text);
        }
    }

    /** Random frames: good ones, over-limit headers and bodies, H = 0, non-object and broken headers. */
    private static byte[] randomFrames(Random random) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int frames = 1 + random.nextInt(6);
        for (int i = 0; i < frames; i++) {
            byte[] body = Streams.randomBytes(random, random.nextInt(random.nextBoolean() ? 12 : 40));
            switch (random.nextInt(7)) {
                case 0:
                    out.writeBytes(Streams.frame(utf8("{\"type\":\"t\",\"id\":" + i + ",\"pad\":\""
                            + "x".repeat(random.nextInt(40)) + "\"}"), body));
                    break;
                case 1:
                    out.writeBytes(Streams.frame(0, body.length, new byte[0], body));
                    break;
                case 2:
                    out.writeBytes(Streams.frame("[" + i + "]", body));
                    break;
                case 3:
                    out.writeBytes(Streams.frame("{\"id\":" + i + "}", body));
                    break;
                case 4:
                    out.writeBytes(Streams.frame("{\"type\":" + i + "}", body));
                    break;
                case 5:
                    byte[] junk = Streams.randomBytes(random, 1 + random.nextInt(50));
                    out.writeBytes(Streams.frame(junk, body));
                    break;
                default:
                    out.writeBytes(Streams.frame("{\"type\":\"u\"}", body));
            }
        }
        return out.toByteArray();
    }

    @Test
    void randomFramesDecodeTheSameWhateverTheChunking() {
        for (long seed = 1; seed <= 500; seed++) {
            byte[] stream = randomFrames(new Random(seed));
            assertChunkingIndependent(() -> new FrameDecoder(new Limits(40, 24)), stream, "seed " + seed);
        }
    }
}
