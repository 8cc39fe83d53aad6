package io.courier.protocol;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
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
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every binary-framing error: its code, whether the stream stays in sync, and that the next frame decodes. */
class FrameDecoderErrorTest {
    private static final Limits SMALL = new Limits(64, 100);
    private static final String NEXT = "message {\"type\":\"next\",\"id\":2} body=bmV4dA==";

    private static byte[] next() {
        return frame("{\"type\":\"next\",\"id\":2}", utf8("next"));
    }

    /** The bad frame followed by a good one, checked whole, at every split, byte by byte and in random chunks. */
    private static void assertEveryChunking(byte[] stream, List<String> expected) {
        assertEquals(expected, feed(new FrameDecoder(SMALL), whole(stream)), "whole");
        for (int cut = 0; cut <= stream.length; cut++) {
            assertEquals(expected, feed(new FrameDecoder(SMALL), splitAt(stream, cut)), "cut at " + cut);
        }
        assertEquals(expected, feed(new FrameDecoder(SMALL), byteByByte(stream)), "byte by byte");
        for (long seed = 1; seed <= 50; seed++) {
            assertEquals(expected, feed(new FrameDecoder(SMALL), randomChunks(stream, new Random(seed), 9)),
                    "seed " + seed);
        }
    }

    @Test
    void tooLargeHeaderIsSkippedExactlyAndNextFrameDecodes() {
        byte[] header = utf8("{\"type\":\"big\",\"pad\":\"" + "x".repeat(100) + "\"}");
        byte[] stream = concat(frame(header, utf8("body of the big one")), next());
        assertEveryChunking(stream, List.of("error too_large inSync=true type=null id=null", NEXT));
    }

    @Test
    void tooLargeHeaderDeclaringGigabytesIsSkippedWithoutBufferingAnything() throws ProtocolException {
        FrameDecoder decoder = new FrameDecoder(SMALL);
        Streams.Recorder recorder = new Streams.Recorder();
        long declaredHeader = 0x00ff_ffffL;
        long declaredBody = 0xffff_ffffL;
        decoder.decode(ByteBuffer.wrap(frame(declaredHeader, declaredBody, new byte[0], new byte[0])), recorder);
        assertEquals(1, recorder.errors.size());
        ProtocolException error = recorder.errors.get(0);
        assertEquals(ErrorCode.TOO_LARGE, error.code());
        assertTrue(error.inSync());
        assertTrue(error.getMessage().contains("header length 16777215")
                && error.getMessage().contains("max-header-bytes 64"), error.getMessage());
        byte[] chunk = new byte[1 << 16];
        for (int i = 0; i < 100; i++) {
            decoder.decode(ByteBuffer.wrap(chunk), recorder);
            assertEquals(0, decoder.bufferedBytes(), "skipped bytes are counted off, never stored");
            assertTrue(decoder.hasPartialMessage(), "still inside the skipped frame");
        }
        assertTrue(recorder.messages.isEmpty());
    }

    @Test
    void tooLargeHeaderSkippedOverManyBuffersThenNextFrameDecodes() throws ProtocolException {
        int headerLength = 65;
        int bodyLength = 10_000;
        FrameDecoder decoder = new FrameDecoder(SMALL);
        Streams.Recorder recorder = new Streams.Recorder();
        byte[] skipped = Streams.repeat((byte) '{', headerLength + bodyLength);
        byte[] stream = concat(frame(headerLength, bodyLength, skipped, new byte[0]), next());
        for (byte[] chunk : randomChunks(stream, new Random(5), 333)) {
            decoder.decode(ByteBuffer.wrap(chunk), recorder);
        }
        assertEquals(1, recorder.errors.size());
        assertEquals(1, recorder.messages.size());
        assertEquals("next", recorder.messages.get(0).type());
        assertFalse(decoder.hasPartialMessage());
    }

    @Test
    void headerExactlyAtTheLimitIsAccepted() {
        String header = "{\"type\":\"t\",\"p\":\"" + "x".repeat(64 - 19) + "\"}";
        assertEquals(64, utf8(header).length);
        assertEquals(List.of("message " + header + " body=", NEXT),
                feed(new FrameDecoder(SMALL), whole(concat(frame(header), next()))));
    }

    @Test
    void tooLargeBodyIsSkippedAndNextFrameDecodes() {
        byte[] stream = concat(frame("{\"type\":\"file.put\",\"id\":\"f-1\"}", new byte[101]), next());
        assertEveryChunking(stream, List.of("error too_large inSync=true type=file.put id=\"f-1\"", NEXT));
    }

    @Test
    void tooLargeBodyErrorNamesTheLengthAndTheLimitAndRepliesWithTypeAndId() throws ProtocolException {
        FrameDecoder decoder = new FrameDecoder(SMALL);
        Streams.Recorder recorder = new Streams.Recorder();
        decoder.decode(ByteBuffer.wrap(frame("{\"type\":\"file.put\",\"id\":5}", new byte[150])), recorder);
        ProtocolException error = recorder.errors.get(0);
        assertTrue(error.getMessage().contains("150") && error.getMessage().contains("max-body-bytes 100"),
                error.getMessage());
        Message reply = error.toReply();
        assertEquals("file.put", reply.type());
        assertEquals(5, reply.id().intValue());
        assertEquals("too_large", reply.errorCode());
        assertFalse(reply.isOk());
    }

    @Test
    void bodyExactlyAtTheLimitIsAccepted() {
        byte[] stream = frame("{\"type\":\"full\"}", new byte[100]);
        List<String> lines = feed(new FrameDecoder(SMALL), whole(stream));
        assertEquals(1, lines.size());
        assertTrue(lines.get(0).startsWith("message {\"type\":\"full\"}"), lines.get(0));
    }

    @Test
    void zeroHeaderLengthIsBadRequestInSyncAndItsBodyIsSkipped() {
        byte[] stream = concat(frame(0, 5, new byte[0], utf8("{}{}{")), next());
        assertEveryChunking(stream, List.of("error bad_request inSync=true type=null id=null", NEXT));
    }

    @Test
    void zeroHeaderLengthWithNoBodyIsBadRequestAndNextFrameDecodes() {
        byte[] stream = concat(frame(0, 0, new byte[0], new byte[0]), next());
        assertEveryChunking(stream, List.of("error bad_request inSync=true type=null id=null", NEXT));
    }

    @Test
    void headerThatIsValidJsonButNotAnObjectIsBadRequestInSync() {
        for (String header : new String[] {"[1,2]", "\"x\"", "42", "true", "null", "  [ ]  "}) {
            byte[] stream = concat(frame(header, utf8("skipped body")), next());
            assertEveryChunking(stream, List.of("error bad_request inSync=true type=null id=null", NEXT));
        }
    }

    @Test
    void missingTypeIsBadRequestCarryingTheIdWhenPresent() {
        assertEveryChunking(concat(frame("{\"id\":17}", utf8("b")), next()),
                List.of("error bad_request inSync=true type=null id=17", NEXT));
        assertEveryChunking(concat(frame("{\"text\":\"no id\"}"), next()),
                List.of("error bad_request inSync=true type=null id=null", NEXT));
    }

    @Test
    void nonStringOrEmptyTypeIsBadRequestCarryingTheId() {
        for (String type : new String[] {"42", "\"\"", "null", "true", "[\"ping\"]", "{\"name\":\"ping\"}"}) {
            byte[] stream = concat(frame("{\"type\":" + type + ",\"id\":\"r-9\"}"), next());
            assertEveryChunking(stream, List.of("error bad_request inSync=true type=null id=\"r-9\"", NEXT));
        }
    }

    @Test
    void badRequestReplyHasTypeErrorAndTheRequestId() throws ProtocolException {
        FrameDecoder decoder = new FrameDecoder(SMALL);
        Streams.Recorder recorder = new Streams.Recorder();
        decoder.decode(ByteBuffer.wrap(frame("{\"id\":3}")), recorder);
        Message reply = recorder.errors.get(0).toReply();
        assertEquals("{\"type\":\"error\",\"id\":3,\"ok\":false,\"error\":{\"code\":\"bad_request\",\"message\":"
                + Json.NODES.textNode(recorder.errors.get(0).getMessage()) + "}}", reply.header().toString());
    }

    @Test
    void brokenJsonHeaderIsMalformedAndThrownOutOfSync() {
        for (String header : new String[] {"{\"type\":", "{\"type\":\"a\",}", "{type:\"a\"}", "{\"type\":\"a\"}}",
                "{\"type\":\"a\"}{\"type\":\"b\"}", "{'type':'a'}", "nonsense"}) {
            byte[] stream = concat(frame(header, utf8("body")), next());
            List<String> lines = feed(new FrameDecoder(SMALL), whole(stream));
            assertEquals(List.of("thrown malformed inSync=false type=null id=null"), lines, header);
            for (int cut = 0; cut <= stream.length; cut++) {
                assertEquals(lines, feed(new FrameDecoder(SMALL), splitAt(stream, cut)), header + " cut " + cut);
            }
        }
    }

    @Test
    void invalidUtf8InHeaderIsMalformedAndThrownOutOfSync() {
        byte[][] headers = {
                concat(utf8("{\"type\":\"a"), new byte[] {(byte) 0xff}, utf8("\"}")),
                concat(utf8("{\"type\":\"a"), new byte[] {(byte) 0x80}, utf8("\"}")),
                concat(utf8("{\"type\":\"a"), new byte[] {(byte) 0xc3, 'x'}, utf8("\"}")),
                concat(utf8("{\"type\":\"a"), new byte[] {(byte) 0xe4, (byte) 0xb8}, utf8("\"}")),
                concat(utf8("{\"type\":\"a\",\""), new byte[] {(byte) 0xfe}, utf8("\":1}")),
                // Overlong forms and code points past U+10FFFF, which Jackson took (found by ConnectionBytesFuzzTest).
                concat(utf8("{\"type\":\"a"), new byte[] {(byte) 0xc0, (byte) 0x80}, utf8("\"}")),
                concat(utf8("{\"type\":\"a\",\"b\":\""), new byte[] {(byte) 0xe0, (byte) 0x80, (byte) 0xaf},
                        utf8("\"}")),
                concat(utf8("{\"type\":\"a\",\""), new byte[] {(byte) 0xf0, (byte) 0x8f, (byte) 0x98, (byte) 0x80},
                        utf8("\":1}")),
                concat(utf8("{\"type\":\"a\",\"b\":\""),
                        new byte[] {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, utf8("\"}")),
        };
        for (byte[] header : headers) {
            byte[] stream = concat(frame(header, new byte[0]), next());
            assertEquals(List.of("thrown malformed inSync=false type=null id=null"),
                    feed(new FrameDecoder(SMALL), whole(stream)), java.util.HexFormat.of().formatHex(header));
        }
    }

    @Test
    void headerInUtf16OrUtf32IsMalformedBecauseHeadersAreUtf8() {
        byte[][] headers = {
                "{\"type\":\"a\"}".getBytes(java.nio.charset.StandardCharsets.UTF_16LE),
                "{\"type\":\"a\"}".getBytes(java.nio.charset.StandardCharsets.UTF_16BE),
                "{\"type\":\"a\"}".getBytes(java.nio.charset.StandardCharsets.UTF_16), // with a BOM
                "{\"type\":\"a\"}".getBytes(java.nio.charset.Charset.forName("UTF-32BE")),
                "{\"type\":\"a\"}".getBytes(java.nio.charset.Charset.forName("UTF-32LE")),
        };
        for (byte[] header : headers) {
            assertEquals(List.of("thrown malformed inSync=false type=null id=null"),
                    feed(new FrameDecoder(new Limits(1024, 0)), whole(frame(header, new byte[0]))),
                    java.util.HexFormat.of().formatHex(header));
        }
    }

    @Test
    void malformedErrorSaysWhatIsWrong() {
        FrameDecoder decoder = new FrameDecoder(SMALL);
        ProtocolException error = null;
        try {
            decoder.decode(ByteBuffer.wrap(frame("{\"type\":")), new Streams.Recorder());
        } catch (ProtocolException e) {
            error = e;
        }
        assertNotNull(error);
        assertEquals(ErrorCode.MALFORMED, error.code());
        assertFalse(error.inSync());
        assertTrue(error.getMessage().contains("JSON"), error.getMessage());
        assertEquals("error", error.toReply().type());
    }

    @Test
    void headerNestedDeeperThanTheLimitIsAnErrorNotAStackOverflow() {
        int depth = Json.MAX_NESTING_DEPTH + 1;
        String header = "{\"type\":\"deep\",\"x\":" + "[".repeat(depth) + "]".repeat(depth) + "}";
        List<String> lines = feed(new FrameDecoder(new Limits(1 << 16, 100)),
                whole(concat(frame(header), next())));
        assertEquals(List.of("error bad_request inSync=true type=null id=null", NEXT), lines);
    }

    @Test
    void veryDeepHeaderNestingIsAnErrorNotAStackOverflow() {
        int depth = 100_000;
        String header = "[".repeat(depth) + "]".repeat(depth);
        List<String> lines = feed(new FrameDecoder(new Limits(1 << 20, 0)), whole(frame(header)));
        assertEquals(1, lines.size());
        assertTrue(lines.get(0).startsWith("error bad_request inSync=true"), lines.get(0));
    }

    @Test
    void headerNestedExactlyAtTheLimitDecodes() {
        int depth = Json.MAX_NESTING_DEPTH - 1; // plus the header object itself
        String header = "{\"type\":\"deep\",\"x\":" + "[".repeat(depth) + "]".repeat(depth) + "}";
        List<String> lines = feed(new FrameDecoder(new Limits(1 << 16, 0)), whole(frame(header)));
        assertEquals(List.of("message " + header + " body="), lines);
    }

    @Test
    void tooLargeBodyWinsOverABadHeaderAndTheFrameIsStillSkipped() {
        byte[] stream = concat(frame("{\"text\":\"no type\"}", new byte[500]), next());
        assertEveryChunking(stream, List.of("error too_large inSync=true type=null id=null", NEXT));
    }

    @Test
    void tooLargeBodyBehindAHeaderWithoutTypeStillRepliesWithTheId() {
        byte[] stream = concat(frame("{\"id\":\"q-7\"}", new byte[500]), next());
        assertEveryChunking(stream, List.of("error too_large inSync=true type=null id=\"q-7\"", NEXT));
    }

    @Test
    void errorsBetweenGoodFramesKeepEveryGoodFrameInOrder() {
        byte[] stream = concat(frame("{\"type\":\"a\"}"), frame(0, 0, new byte[0], new byte[0]),
                frame("{\"type\":\"b\"}"), frame("[1]", utf8("x")), frame("{\"type\":\"c\"}", new byte[101]),
                frame("{\"type\":\"d\"}"), frame(65, 0, new byte[65], new byte[0]), next());
        assertEveryChunking(stream, List.of(
                "message {\"type\":\"a\"} body=",
                "error bad_request inSync=true type=null id=null",
                "message {\"type\":\"b\"} body=",
                "error bad_request inSync=true type=null id=null",
                "error too_large inSync=true type=c id=null",
                "message {\"type\":\"d\"} body=",
                "error too_large inSync=true type=null id=null",
                NEXT));
    }
}
