package io.courier.protocol;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The properties the fuzz tests check, independent of the fuzzer that feeds them: whatever bytes a connection
 * sends, decoding is safe and bounded ({@link CheckedDecoder}) and reports the same events whatever the chunking;
 * whatever message is encoded, decoding gives it back.
 */
final class DecoderProperties {
    /** Longest stream also fed one byte per read (that costs one decode call per byte). */
    private static final int BYTE_BY_BYTE_MAX = 2048;

    private DecoderProperties() {
    }

    /**
     * Limits chosen by one byte of fuzz input: the defaults, or small ones whose edges short inputs can reach.
     */
    static Limits limits(int selector) {
        int size = (selector >>> 2) & 0x3f;
        switch (selector & 3) {
            case 0:
                return Limits.DEFAULTS;
            case 1:
                return new Limits(2, 0);
            case 2:
                return new Limits(24, 8);
            default:
                return new Limits(2 + 4 * size, size);
        }
    }

    /** The bytes as a connection sends them: the first byte picks the framing (PROTOCOL.md), or none. */
    static void connection(byte[] stream, Limits limits, long chunkSeed) {
        if (stream.length == 0) {
            return;
        }
        byte first = stream[0];
        Framing framing = Framing.detect(first);
        boolean starts = first == 0 || first == '{' || first == ' ' || first == '\t' || first == '\r' || first == '\n';
        if (framing == null) {
            assertFalse(starts, "byte " + first + " starts a framing");
            String sentence = Framing.expectation(first);
            assertTrue(sentence.contains(String.format("0x%02x", first & 0xff)), sentence);
            return;
        }
        assertEquals(first == 0 ? Framing.BINARY : Framing.JSON_TEXT, framing);
        stream(framing, limits, stream, chunkSeed);
    }

    /**
     * Any bytes as a stream of one framing: safe and bounded at every read, and the same events when it is fed
     * whole, in random chunks and (when short) one byte at a time.
     */
    static void stream(Framing framing, Limits limits, byte[] stream, long chunkSeed) {
        if (framing == Framing.JSON_TEXT) {
            // As in ChunkingIndependenceFuzzTest: a final newline makes the decoder act on a trailing escaped
            // surrogate it would otherwise hold back for a next read that never comes.
            stream = Streams.concat(stream, new byte[] {'\n'});
        }
        List<String> whole = Streams.feed(new CheckedDecoder(framing, limits), Streams.whole(stream));
        Random random = new Random(chunkSeed);
        List<String> chunked = Streams.feed(new CheckedDecoder(framing, limits),
                Streams.randomChunks(stream, random, 1 + random.nextInt(64)));
        // A JSON text message over the limit may be refused as too_large where a read ends, or as malformed
        // where the whole text shows it broken further on: the same error, under either code.
        boolean eitherCode = framing == Framing.JSON_TEXT && stream.length > limits.maxHeaderBytes();
        assertSameEvents(whole, chunked, eitherCode, "random chunks (seed " + chunkSeed + ")", stream);
        if (stream.length <= BYTE_BY_BYTE_MAX) {
            List<String> single = Streams.feed(new CheckedDecoder(framing, limits), Streams.byteByByte(stream));
            assertSameEvents(whole, single, eitherCode, "byte by byte", stream);
        }
    }

    private static void assertSameEvents(List<String> expected, List<String> actual, boolean eitherCode,
                                         String chunking, byte[] stream) {
        String context = chunking + " of " + printable(stream);
        if (!eitherCode) {
            assertEquals(expected, actual, context);
            return;
        }
        assertEquals(expected.size(), actual.size(), context + ": " + expected + " vs " + actual);
        for (int i = 0; i < expected.size(); i++) {
            String want = expected.get(i);
            String got = actual.get(i);
            if (i == expected.size() - 1 && want.startsWith("thrown ") && got.startsWith("thrown ")) {
                assertTrue(got.startsWith("thrown too_large") || got.startsWith("thrown malformed"), got);
                continue;
            }
            assertEquals(want, got, context + " event " + i);
        }
    }

    /**
     * Messages encoded in one framing and decoded from random chunks come back the same, in order; each, turned
     * into its own reply, comes back with {@code ok:true} added and nothing else changed.
     */
    static void roundTrip(List<Message> sent, Framing framing, long chunkSeed) {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (Message message : sent) {
            ByteBuffer encoded = framing.encoder().encode(message);
            assertEquals(framing, Framing.detect(encoded.get(encoded.position())), "the first byte says the framing");
            stream.write(encoded.array(), encoded.arrayOffset() + encoded.position(), encoded.remaining());
        }
        byte[] bytes = stream.toByteArray();
        Random random = new Random(chunkSeed);
        Streams.Recorder recorder = new Streams.Recorder();
        Streams.feed(new CheckedDecoder(framing, Limits.DEFAULTS),
                Streams.randomChunks(bytes, random, 1 + random.nextInt(4096)), recorder);
        assertNull(recorder.thrown, () -> "encoded messages fail to decode: " + recorder.lines);
        assertEquals(List.of(), recorder.errors, "encoded messages are valid");
        assertEquals(sent.size(), recorder.messages.size(), recorder.lines::toString);
        for (int i = 0; i < sent.size(); i++) {
            Message expected = sent.get(i);
            Message got = recorder.messages.get(i);
            assertEquals(expected.header(), got.header(), "header of message " + i);
            assertArrayEquals(expected.body(), got.body(), "body of message " + i);
        }
        // asReply on a freshly decoded message (lazy for binary frames: "ok":true spliced into the raw bytes).
        Streams.Recorder again = new Streams.Recorder();
        Streams.feed(framing.newDecoder(Limits.DEFAULTS), Streams.whole(bytes), again);
        for (int i = 0; i < sent.size(); i++) {
            ObjectNode expected = sent.get(i).header().deepCopy();
            expected.put(Message.OK, true);
            Streams.Recorder reply = new Streams.Recorder();
            ByteBuffer encoded = framing.encoder().encode(again.messages.get(i).asReply());
            Streams.feed(framing.newDecoder(Limits.DEFAULTS), Streams.whole(toArray(encoded)), reply);
            assertEquals(1, reply.messages.size(), reply.lines::toString);
            assertEquals(expected, reply.messages.get(0).header(), "the reply of message " + i);
            assertArrayEquals(sent.get(i).body(), reply.messages.get(0).body());
        }
    }

    private static byte[] toArray(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    /** The stream for an assertion message: UTF-8 text with other bytes escaped, cut at 300 characters. */
    static String printable(byte[] stream) {
        StringBuilder text = new StringBuilder();
        String decoded = new String(stream, StandardCharsets.ISO_8859_1);
        for (int i = 0; i < decoded.length() && text.length() < 300; i++) {
            char c = decoded.charAt(i);
            text.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\x%02x", (int) c));
        }
        return stream.length + " bytes: " + text;
    }
}
