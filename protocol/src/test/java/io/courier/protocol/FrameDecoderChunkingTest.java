package io.courier.protocol;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.courier.protocol.Streams.byteByByte;
import static io.courier.protocol.Streams.concat;
import static io.courier.protocol.Streams.feed;
import static io.courier.protocol.Streams.frame;
import static io.courier.protocol.Streams.randomChunks;
import static io.courier.protocol.Streams.splitAt;
import static io.courier.protocol.Streams.utf8;
import static io.courier.protocol.Streams.whole;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Binary frames decode to the same messages however the stream is cut into reads. */
class FrameDecoderChunkingTest {
    private static final Limits LIMITS = Limits.DEFAULTS;

    /** Frames with empty, small and binary bodies (bytes that look like prefixes and JSON), unicode headers. */
    static byte[] sampleStream() {
        return concat(
                frame("{\"type\":\"ping\"}"),
                frame("{\"type\":\"echo\",\"id\":7,\"text\":\"héllo 世界 😀\"}", utf8("body bytes")),
                frame("{\"type\":\"file.put\",\"id\":\"a-1\",\"nested\":{\"list\":[1,2.5,null,true]}}",
                        new byte[] {0, 0, 0, 1, 0, 0, 0, 0, '{', '}', (byte) 0xff, (byte) 0x80}),
                frame("{\"type\":\"empty\",\"id\":123456789012}", new byte[0]),
                frame(" {\"type\":\"spaced\"} \n", Streams.frame("{\"type\":\"inner\"}")));
    }

    private static List<String> expectedLines() {
        return List.of(
                "message {\"type\":\"ping\"} body=",
                "message {\"type\":\"echo\",\"id\":7,\"text\":\"héllo 世界 😀\"} body=Ym9keSBieXRlcw==",
                "message {\"type\":\"file.put\",\"id\":\"a-1\",\"nested\":{\"list\":[1,2.5,null,true]}} "
                        + "body=AAAAAQAAAAB7ff+A",
                "message {\"type\":\"empty\",\"id\":123456789012} body=",
                "message {\"type\":\"spaced\"} body=AAAAEAAAAAB7InR5cGUiOiJpbm5lciJ9");
    }

    @Test
    void wholeStreamDecodesToTheExpectedMessages() {
        assertEquals(expectedLines(), feed(new FrameDecoder(LIMITS), whole(sampleStream())));
    }

    @Test
    void streamCutInTwoAtEveryOffsetDecodesTheSame() {
        byte[] stream = sampleStream();
        for (int cut = 0; cut <= stream.length; cut++) {
            assertEquals(expectedLines(), feed(new FrameDecoder(LIMITS), splitAt(stream, cut)), "cut at " + cut);
        }
    }

    @Test
    void streamFedOneByteAtATimeDecodesTheSame() {
        assertEquals(expectedLines(), feed(new FrameDecoder(LIMITS), byteByByte(sampleStream())));
    }

    @Test
    void streamInRandomChunkingsDecodesTheSame() {
        byte[] stream = sampleStream();
        for (long seed = 1; seed <= 300; seed++) {
            Random random = new Random(seed);
            List<byte[]> chunks = randomChunks(stream, random, 1 + random.nextInt(40));
            assertEquals(expectedLines(), feed(new FrameDecoder(LIMITS), chunks), "seed " + seed);
        }
    }

    @Test
    void clientSendingTooFastGetsEveryMessageFromOneBufferInOrder() {
        Random random = new Random(42);
        List<byte[]> frames = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (int id = 0; id < 2000; id++) {
            byte[] body = Streams.randomBytes(random, random.nextInt(64));
            frames.add(frame("{\"type\":\"echo\",\"id\":" + id + "}", body));
            expected.add("message {\"type\":\"echo\",\"id\":" + id + "} body="
                    + java.util.Base64.getEncoder().encodeToString(body));
        }
        byte[] stream = concat(frames.toArray(new byte[0][]));
        assertEquals(expected, feed(new FrameDecoder(LIMITS), whole(stream)));
    }

    @Test
    void oneMessageOverManyBuffersIsDeliveredOnceAfterItsLastByte() throws ProtocolException {
        byte[] body = Streams.randomBytes(new Random(3), 100_000);
        byte[] stream = frame("{\"type\":\"file.put\",\"id\":1}", body);
        FrameDecoder decoder = new FrameDecoder(LIMITS);
        Streams.Recorder recorder = new Streams.Recorder();
        int at = 0;
        while (at < stream.length) {
            int size = Math.min(997, stream.length - at);
            decoder.decode(ByteBuffer.wrap(stream, at, size), recorder);
            at += size;
            if (at < stream.length) {
                assertTrue(recorder.messages.isEmpty(), "no message before its last byte, at " + at);
                assertTrue(decoder.hasPartialMessage(), "partial at " + at);
            }
        }
        assertEquals(1, recorder.messages.size());
        assertArrayEquals(body, recorder.messages.get(0).body());
        assertFalse(decoder.hasPartialMessage());
        assertEquals(0, decoder.bufferedBytes());
    }

    @Test
    void zeroLengthBodyDecodesToAnEmptyBodyAndNoPartialState() throws ProtocolException {
        FrameDecoder decoder = new FrameDecoder(LIMITS);
        Streams.Recorder recorder = new Streams.Recorder();
        decoder.decode(ByteBuffer.wrap(frame("{\"type\":\"ping\",\"id\":1}")), recorder);
        assertEquals(1, recorder.messages.size());
        Message message = recorder.messages.get(0);
        assertEquals("ping", message.type());
        assertEquals(0, message.bodyLength());
        assertArrayEquals(new byte[0], message.body());
        assertFalse(decoder.hasPartialMessage());
        assertEquals(0, decoder.bufferedBytes());
    }

    @Test
    void eightMebibyteBodyArrivesIntactInUnevenChunks() {
        byte[] body = Streams.randomBytes(new Random(8), 8 << 20);
        String expectedHash = Streams.sha256(body);
        byte[] stream = concat(frame("{\"type\":\"file.put\",\"id\":9}", body), frame("{\"type\":\"after\"}"));
        long seed = 88;
        List<byte[]> chunks = randomChunks(stream, new Random(seed), 70_000);
        FrameDecoder decoder = new FrameDecoder(LIMITS);
        Streams.Recorder recorder = new Streams.Recorder();
        Streams.feed(decoder, chunks, recorder);
        assertEquals(2, recorder.messages.size(), "seed " + seed);
        Message big = recorder.messages.get(0);
        assertEquals(8 << 20, big.bodyLength());
        assertEquals(expectedHash, Streams.sha256(big.body()), "seed " + seed);
        assertEquals("after", recorder.messages.get(1).type());
    }

    @Test
    void declaredSixteenMebibyteBodyWithTenBytesDeliveredHoldsAFewHundredBytes() throws ProtocolException {
        byte[] header = utf8("{\"type\":\"file.put\"}");
        byte[] partial = frame(header.length, 16 << 20, header, new byte[10]);
        FrameDecoder decoder = new FrameDecoder(new Limits(1 << 20, 16 << 20));
        decoder.decode(ByteBuffer.wrap(partial), new Streams.Recorder());
        assertTrue(decoder.hasPartialMessage());
        assertTrue(decoder.bufferedBytes() <= 1024, "buffered " + decoder.bufferedBytes());
    }

    @Test
    void declaredMaximumHeaderWithTenBytesDeliveredHoldsAFewHundredBytes() throws ProtocolException {
        byte[] partial = frame(Limits.ABSOLUTE_MAX_HEADER_BYTES, 0, utf8("{\"type\":\""), new byte[0]);
        FrameDecoder decoder = new FrameDecoder(new Limits(Limits.ABSOLUTE_MAX_HEADER_BYTES, 0));
        decoder.decode(ByteBuffer.wrap(partial), new Streams.Recorder());
        assertTrue(decoder.hasPartialMessage());
        assertTrue(decoder.bufferedBytes() <= 1024, "buffered " + decoder.bufferedBytes());
    }

    @Test
    void headerHeldWhileItsBodyArrivesIsCountedAsBuffered() throws ProtocolException {
        // Regression: once the header was complete it was kept for the body but no longer counted.
        byte[] header = utf8("{\"type\":\"file.put\",\"pad\":\"" + "x".repeat(1000) + "\"}");
        FrameDecoder decoder = new FrameDecoder(LIMITS);
        decoder.decode(ByteBuffer.wrap(frame(header.length, 100, header, new byte[10])), new Streams.Recorder());
        assertTrue(decoder.hasPartialMessage());
        assertTrue(decoder.bufferedBytes() >= header.length + 10, "buffered " + decoder.bufferedBytes()
                + " while holding a " + header.length + "-byte header and 10 body bytes");
        decoder.decode(ByteBuffer.wrap(new byte[90]), new Streams.Recorder());
        assertEquals(0, decoder.bufferedBytes());
    }

    @Test
    void bodyBufferGrowsOnlyWithTheBytesThatReallyArrive() throws ProtocolException {
        byte[] header = utf8("{\"type\":\"file.put\"}");
        FrameDecoder decoder = new FrameDecoder(LIMITS);
        decoder.decode(ByteBuffer.wrap(frame(header.length, 16 << 20, header, new byte[0])), new Streams.Recorder());
        long received = 0;
        byte[] chunk = new byte[50_000];
        for (int i = 0; i < 40; i++) {
            decoder.decode(ByteBuffer.wrap(chunk), new Streams.Recorder());
            received += chunk.length;
            assertTrue(decoder.bufferedBytes() <= 2 * received + 256,
                    "received " + received + " but buffered " + decoder.bufferedBytes());
        }
    }

    @Test
    void partialStateIsSetInsideAFrameAndClearedExactlyAtItsEnd() throws ProtocolException {
        byte[] stream = frame("{\"type\":\"echo\"}", utf8("abc"));
        for (int cut = 0; cut <= stream.length; cut++) {
            FrameDecoder decoder = new FrameDecoder(LIMITS);
            decoder.decode(ByteBuffer.wrap(stream, 0, cut), new Streams.Recorder());
            boolean inside = cut > 0 && cut < stream.length;
            assertEquals(inside, decoder.hasPartialMessage(), "cut at " + cut);
            if (!inside) {
                assertEquals(0, decoder.bufferedBytes(), "cut at " + cut);
            }
        }
    }
}
