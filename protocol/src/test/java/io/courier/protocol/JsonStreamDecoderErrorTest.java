package io.courier.protocol;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;

import static io.courier.protocol.Streams.byteByByte;
import static io.courier.protocol.Streams.concat;
import static io.courier.protocol.Streams.feed;
import static io.courier.protocol.Streams.randomChunks;
import static io.courier.protocol.Streams.splitAt;
import static io.courier.protocol.Streams.utf8;
import static io.courier.protocol.Streams.whole;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Every JSON-text error: its code, whether the stream stays in sync, and what happens to the messages around it. */
class JsonStreamDecoderErrorTest {
    private static final Limits SMALL = new Limits(64, 0);
    private static final String FIRST = "message {\"type\":\"first\"} body=";
    private static final String NEXT = "message {\"type\":\"next\",\"id\":2} body=";
    private static final String MALFORMED = "thrown malformed inSync=false type=null id=null";
    private static final String TOO_LARGE = "thrown too_large inSync=false type=null id=null";

    /** Checks the stream whole, at every split, byte by byte and in random chunks. */
    private static void assertEveryChunking(Limits limits, byte[] stream, List<String> expected) {
        assertEquals(expected, feed(new JsonStreamDecoder(limits), whole(stream)), "whole");
        for (int cut = 0; cut <= stream.length; cut++) {
            assertEquals(expected, feed(new JsonStreamDecoder(limits), splitAt(stream, cut)), "cut at " + cut);
        }
        assertEquals(expected, feed(new JsonStreamDecoder(limits), byteByByte(stream)), "byte by byte");
        for (long seed = 1; seed <= 50; seed++) {
            assertEquals(expected, feed(new JsonStreamDecoder(limits), randomChunks(stream, new Random(seed), 7)),
                    "seed " + seed);
        }
    }

    private static ProtocolException thrownBy(Limits limits, byte[] stream) {
        try {
            new JsonStreamDecoder(limits).decode(ByteBuffer.wrap(stream), new Streams.Recorder());
        } catch (ProtocolException e) {
            return e;
        }
        return fail("no ProtocolException for " + new String(stream, java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void brokenJsonIsMalformedAndThrownAfterTheMessagesBeforeIt() {
        String[] broken = {"{\"type\":}", "{\"type\" \"a\"}", "{\"type\":\"a\",}", "{type:\"a\"}", "{'type':'a'}",
                "}", "]", "{\"type\":\"a\"]", "{\"type\":tru}", "{\"type\":[}", "nonsense", "{\"a\":01}",
                "{\"type\":\"a\u0001\"}"};
        for (String text : broken) {
            byte[] stream = utf8("{\"type\":\"first\"}\n" + text + "\n{\"type\":\"next\",\"id\":2}\n");
            assertEveryChunking(SMALL, stream, List.of(FIRST, MALFORMED));
        }
    }

    @Test
    void trailingCommaOrMissingValueIsMalformedWhereverTheReadEnds() {
        // Jackson's non-blocking parser accepts these when a read ends right after the ',' or ':'.
        String[] broken = {"{\"type\":\"a\",}", "{\"type\":}", "{\"type\" : }", "{\"type\":\"a\" , \n}",
                "{\"type\":\"a\",\"o\":{\"b\":1,}}", "{\"type\":\"a\",\"o\":{\"b\":}}"};
        for (String text : broken) {
            byte[] stream = utf8("{\"type\":\"first\"}" + text + "{\"type\":\"next\",\"id\":2}\n");
            assertEveryChunking(new Limits(128, 0), stream, List.of(FIRST, MALFORMED));
            JsonStreamDecoder decoder = new JsonStreamDecoder(SMALL);
            int cut = text.lastIndexOf(text.contains(",") ? ',' : ':') + 1;
            List<byte[]> pieces = List.of(utf8(text.substring(0, cut)), utf8("   "), utf8(text.substring(cut)));
            assertEquals(List.of(MALFORMED), feed(decoder, pieces), text);
        }
    }

    @Test
    void separatorsInsideStringsAtTheEndOfAReadAreJustCharacters() {
        String[] texts = {"{\"type\":\"a,\"}", "{\"type\":\"a:\"}", "{\"type\":\"a\",\"k,\":\",\"}",
                "{\"type\":\"a\",\"k:\":\"}:\"}", "{\"type\":\"a\",\"n\":[1,2],\"o\":{}}"};
        for (String text : texts) {
            assertEveryChunking(SMALL, utf8(text + "{\"type\":\"next\",\"id\":2}"),
                    List.of("message " + text + " body=", NEXT));
        }
    }

    @Test
    void malformedErrorNamesTheByteOffsetAndLeavesNothingBuffered() throws ProtocolException {
        JsonStreamDecoder decoder = new JsonStreamDecoder(SMALL);
        decoder.decode(ByteBuffer.wrap(utf8("{\"type\":\"first\"}  {\"type\"")), new Streams.Recorder());
        ProtocolException error = null;
        try {
            decoder.decode(ByteBuffer.wrap(utf8(" ,")), new Streams.Recorder());
        } catch (ProtocolException e) {
            error = e;
        }
        assertNotNull(error);
        assertEquals(ErrorCode.MALFORMED, error.code());
        assertFalse(error.inSync());
        assertTrue(error.getMessage().contains("byte"), error.getMessage());
        assertFalse(decoder.hasPartialMessage());
        assertEquals(0, decoder.bufferedBytes());
    }

    @Test
    void invalidUtf8BytesAreMalformed() {
        byte[][] invalid = {
                concat(utf8("{\"type\":\"a"), new byte[] {(byte) 0xff}, utf8("\"}")),
                concat(utf8("{\"type\":\"a"), new byte[] {(byte) 0x80}, utf8("\"}")),
                concat(utf8("{\"type\":\"a"), new byte[] {(byte) 0xc3, 'x'}, utf8("\"}")),
                concat(utf8("{\"type\":\"a"), new byte[] {(byte) 0xf0, (byte) 0x9f, 'x', 'y'}, utf8("\"}")),
                concat(utf8("{\""), new byte[] {(byte) 0xfe}, utf8("\":1}")),
                concat(utf8("{\"type\":\"a\"}"), new byte[] {(byte) 0xff}),
                new byte[] {(byte) 0xef, (byte) 0xbf, 'x'},
        };
        for (byte[] bytes : invalid) {
            byte[] stream = concat(utf8("{\"type\":\"first\"}"), bytes, utf8("{\"type\":\"next\",\"id\":2}"));
            String hex = java.util.HexFormat.of().formatHex(bytes);
            List<String> lines = feed(new JsonStreamDecoder(SMALL), whole(stream));
            assertEquals(FIRST, lines.get(0), hex);
            assertEquals(MALFORMED, lines.get(lines.size() - 1), hex);
            assertEquals(lines, feed(new JsonStreamDecoder(SMALL), byteByByte(stream)), hex);
        }
    }

    @Test
    void overlongFormsSurrogatesAndCodePointsPastTheLastAreMalformedWhereverAReadEnds() {
        // Found by ConnectionBytesFuzzTest: Jackson took C0 80 for U+0000 and F4 90 80 80 (past U+10FFFF) for two
        // lone surrogates, a string no encoder can write back.
        byte[][] invalid = {{(byte) 0xc0, (byte) 0x80}, {(byte) 0xc1, (byte) 0xbf},
                {(byte) 0xe0, (byte) 0x80, (byte) 0x80}, {(byte) 0xe0, (byte) 0x9f, (byte) 0xbf},
                {(byte) 0xf0, (byte) 0x8f, (byte) 0x98, (byte) 0x80},
                {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
                {(byte) 0xf5, (byte) 0x80, (byte) 0x80, (byte) 0x80}, {(byte) 0xed, (byte) 0xa0, (byte) 0x80}};
        for (byte[] bytes : invalid) {
            for (byte[] message : new byte[][] {concat(utf8("{\"type\":\"a"), bytes, utf8("\"}")),
                    concat(utf8("{\"type\":\"a\",\""), bytes, utf8("\":1}"))}) {
                byte[] stream = concat(utf8("{\"type\":\"first\"}"), message,
                        utf8("{\"type\":\"next\",\"id\":2}"));
                assertEveryChunking(SMALL, stream, List.of(FIRST, MALFORMED));
            }
        }
        ProtocolException error = thrownBy(SMALL, concat(utf8("{\"type\":\"a"), invalid[0], utf8("\"}")));
        assertTrue(error.getMessage().contains("byte 0xc0 is not UTF-8"), error.getMessage());
    }

    @Test
    void theLargestCodePointAndTheEdgesAroundTheSurrogatesAreFine() {
        String text = "{\"type\":\"a\",\"s\":\"\u0080\u07ff\u0800\ud7ff\ue000\uffff\ud800\udc00\udbff\udfff\"}";
        assertEveryChunking(SMALL, utf8(text + "\n"), List.of("message " + text + " body="));
    }

    @Test
    void aNumberAtTheTopLevelGluedToAnythingButWhiteSpaceIsMalformedWhereverAReadEnds() {
        // Found by JsonStreamDecoderFuzzTest: "1.5.3" was the number 1.5 (a bad_request) then a broken value when
        // read whole, but one malformed number when a read ended inside it.
        for (String glued : new String[] {"1.5.3", "0.69150.6E+2", "12.5x", "7,", "3]", "5{\"type\":\"a\"}",
                "-2\"s\""}) {
            byte[] stream = utf8("{\"type\":\"first\"}\n" + glued + "\n{\"type\":\"next\",\"id\":2}");
            assertEveryChunking(SMALL, stream, List.of(FIRST, MALFORMED));
        }
    }

    @Test
    void objectLongerThanTheLimitIsTooLargeAndThrownOutOfSync() {
        String big = "{\"type\":\"big\",\"pad\":\"" + "x".repeat(100) + "\"}";
        assertEveryChunking(SMALL, utf8("{\"type\":\"first\"}\n" + big + "\n{\"type\":\"next\",\"id\":2}"),
                List.of(FIRST, TOO_LARGE));
    }

    @Test
    void tooLargeObjectArrivingInSmallPiecesIsRefusedBeforeItIsAllBuffered() throws ProtocolException {
        JsonStreamDecoder decoder = new JsonStreamDecoder(new Limits(1000, 0));
        byte[] piece = utf8("\"k\":\"0123456789\",");
        decoder.decode(ByteBuffer.wrap(utf8("{\"type\":\"flood\",")), new Streams.Recorder());
        for (int i = 0; i < 100_000; i++) {
            assertTrue(decoder.bufferedBytes() <= 1000, "buffered " + decoder.bufferedBytes());
            try {
                decoder.decode(ByteBuffer.wrap(piece), new Streams.Recorder());
            } catch (ProtocolException e) {
                assertEquals(ErrorCode.TOO_LARGE, e.code());
                assertFalse(e.inSync());
                assertTrue(e.getMessage().contains("max-header-bytes 1000"), e.getMessage());
                assertTrue(i * piece.length < 1000 + piece.length, "refused only after " + i + " pieces");
                assertFalse(decoder.hasPartialMessage());
                return;
            }
        }
        fail("never refused");
    }

    @Test
    void objectExactlyAtTheLimitIsAcceptedAndOneByteMoreIsTooLarge() {
        String atLimit = "{\"type\":\"t\",\"p\":\"" + "x".repeat(64 - 19) + "\"}";
        assertEquals(64, utf8(atLimit).length);
        assertEveryChunking(SMALL, utf8("  " + atLimit + "\n{\"type\":\"next\",\"id\":2}\n"),
                List.of("message " + atLimit + " body=", NEXT));
        String overLimit = "{\"type\":\"t\",\"p\":\"" + "x".repeat(64 - 18) + "\"}";
        assertEveryChunking(SMALL, utf8("{\"type\":\"first\"}\n  " + overLimit + "\n"), List.of(FIRST, TOO_LARGE));
    }

    @Test
    void rootStringLongerThanTheLimitIsRefusedBeforeItEnds() throws ProtocolException {
        JsonStreamDecoder decoder = new JsonStreamDecoder(new Limits(1000, 0));
        decoder.decode(ByteBuffer.wrap(utf8(" \n\"")), new Streams.Recorder());
        byte[] piece = Streams.repeat((byte) 'x', 100);
        for (int i = 0; i < 100_000; i++) {
            assertTrue(decoder.bufferedBytes() <= 1000, "buffered " + decoder.bufferedBytes());
            try {
                decoder.decode(ByteBuffer.wrap(piece), new Streams.Recorder());
            } catch (ProtocolException e) {
                assertEquals(ErrorCode.TOO_LARGE, e.code());
                assertTrue(i <= 10, "refused only after " + i + " pieces of 100 bytes");
                return;
            }
        }
        fail("a root string that never ends was buffered without limit");
    }

    @Test
    void fiveSmallGluedObjectsOverTheLimitTogetherAreAllFine() {
        String object = "{\"type\":\"small\",\"pad\":\"" + "x".repeat(20) + "\"}";
        String five = object.repeat(5);
        assertTrue(utf8(five).length > SMALL.maxHeaderBytes());
        List<String> expected = java.util.Collections.nCopies(5, "message " + object + " body=");
        assertEveryChunking(SMALL, utf8(five), expected);
    }

    @Test
    void longLivedConnectionSendingFarMoreThanTheLimitInTotalIsFine() throws ProtocolException {
        JsonStreamDecoder decoder = new JsonStreamDecoder(SMALL);
        Streams.Recorder recorder = new Streams.Recorder();
        byte[] buffer = utf8("{\"type\":\"ping\"}{\"type\":\"ping\"} {\"type\":");
        byte[] rest = utf8("\"ping\"}");
        for (int i = 0; i < 10_000; i++) {
            decoder.decode(ByteBuffer.wrap(buffer), recorder);
            decoder.decode(ByteBuffer.wrap(rest), recorder);
        }
        assertEquals(30_000, recorder.messages.size());
        assertTrue(recorder.errors.isEmpty());
    }

    @Test
    void nestingDeeperThanTheLimitIsAnErrorNotAStackOverflow() {
        int depth = Json.MAX_NESTING_DEPTH + 1;
        String deep = "{\"type\":\"deep\",\"x\":" + "[".repeat(depth - 1) + "]".repeat(depth - 1) + "}";
        List<String> lines = feed(new JsonStreamDecoder(new Limits(1 << 16, 0)), whole(utf8(deep)));
        assertEquals(1, lines.size());
        assertTrue(lines.get(0).startsWith("thrown ") && lines.get(0).contains("inSync=false"), lines.get(0));
    }

    @Test
    void hundredThousandOpenBracketsAreAnErrorNotAStackOverflow() {
        byte[] stream = utf8("{\"type\":\"deep\",\"x\":" + "[{\"a\":".repeat(100_000));
        List<String> lines = feed(new JsonStreamDecoder(new Limits(Limits.ABSOLUTE_MAX_HEADER_BYTES, 0)),
                randomChunks(stream, new Random(1), 4096));
        assertTrue(lines.get(lines.size() - 1).startsWith("thrown "), lines.toString());
    }

    @Test
    void nestingExactlyAtTheLimitDecodes() {
        int depth = Json.MAX_NESTING_DEPTH - 1; // plus the message object itself
        String deep = "{\"type\":\"deep\",\"x\":" + "[".repeat(depth) + "]".repeat(depth) + "}";
        assertEquals(List.of("message " + deep + " body="),
                feed(new JsonStreamDecoder(new Limits(1 << 16, 0)), whole(utf8(deep))));
    }

    @Test
    void rootScalarOrArrayIsBadRequestInSyncAndTheNextObjectDecodes() {
        for (String root : new String[] {"[1,2]", "[]", "\"x\"", "42", "-1.5", "true", "false", "null",
                "[{\"type\":\"inside\"}]"}) {
            byte[] stream = utf8("{\"type\":\"first\"}\n" + root + "\n{\"type\":\"next\",\"id\":2}");
            assertEveryChunking(SMALL, stream,
                    List.of(FIRST, "error bad_request inSync=true type=null id=null", NEXT));
        }
    }

    @Test
    void missingOrNonStringTypeIsBadRequestInSyncCarryingTheId() {
        for (String object : new String[] {"{\"id\":9}", "{\"type\":9,\"id\":9}", "{\"type\":\"\",\"id\":9}",
                "{\"type\":null,\"id\":9}", "{\"id\":9,\"type\":[\"a\"]}"}) {
            byte[] stream = utf8(object + "{\"type\":\"next\",\"id\":2}");
            assertEveryChunking(SMALL, stream, List.of("error bad_request inSync=true type=null id=9", NEXT));
        }
    }

    @Test
    void invalidBodyBase64IsBadRequestInSyncWithTypeAndId() {
        for (String base64 : new String[] {"\"not base64!\"", "\"aGVsbG8\\n\"", "\"a\"", "42", "null", "[\"aA==\"]",
                "\"aGVs bG8=\"", "\"aGVsbG8_\""}) {
            byte[] stream = utf8("{\"type\":\"file.put\",\"id\":\"u\",\"body_base64\":" + base64 + "}"
                    + "{\"type\":\"next\",\"id\":2}");
            assertEveryChunking(new Limits(128, 0), stream,
                    List.of("error bad_request inSync=true type=file.put id=\"u\"", NEXT));
        }
    }

    @Test
    void errorsBetweenGoodObjectsKeepEveryGoodObjectInOrder() {
        byte[] stream = utf8("{\"type\":\"a\"}[1]{\"type\":\"b\"}\n\"s\" {\"id\":1}{\"type\":\"c\"} 7 "
                + "{\"type\":\"d\",\"body_base64\":\"!\"}{\"type\":\"next\",\"id\":2}");
        assertEveryChunking(SMALL, stream, List.of(
                "message {\"type\":\"a\"} body=",
                "error bad_request inSync=true type=null id=null",
                "message {\"type\":\"b\"} body=",
                "error bad_request inSync=true type=null id=null",
                "error bad_request inSync=true type=null id=1",
                "message {\"type\":\"c\"} body=",
                "error bad_request inSync=true type=null id=null",
                "error bad_request inSync=true type=d id=null",
                NEXT));
    }

    @Test
    void tooLargeErrorReplyIsAnErrorTypedError() {
        ProtocolException error = thrownBy(SMALL, utf8("{\"type\":\"big\",\"id\":1,\"p\":\"" + "x".repeat(80) + "\"}"));
        assertEquals(ErrorCode.TOO_LARGE, error.code());
        assertFalse(error.inSync());
        assertEquals("too_large", error.toReply().errorCode());
        assertTrue(error.getMessage().contains("max-header-bytes 64"), error.getMessage());
    }
}
