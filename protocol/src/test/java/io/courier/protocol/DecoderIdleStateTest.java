package io.courier.protocol;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static io.courier.protocol.Streams.concat;
import static io.courier.protocol.Streams.frame;
import static io.courier.protocol.Streams.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Between messages a decoder holds nothing (an idle connection costs no buffer); inside one it says so, for the
 * server's partial-frame timeout and memory accounting.
 */
class DecoderIdleStateTest {

    private static void decode(MessageDecoder decoder, String text, Streams.Recorder recorder)
            throws ProtocolException {
        decoder.decode(ByteBuffer.wrap(utf8(text)), recorder);
    }

    @Test
    void jsonDecoderIsIdleAfterACompleteObjectFollowedOnlyByWhitespace() throws ProtocolException {
        JsonStreamDecoder decoder = new JsonStreamDecoder(Limits.DEFAULTS);
        Streams.Recorder recorder = new Streams.Recorder();
        for (String text : new String[] {"{\"type\":\"a\"}", "{\"type\":\"a\"}\n", "{\"type\":\"a\"} \t\r\n ",
                "{\"type\":\"a\"}{\"type\":\"b\"}\n\n"}) {
            decode(decoder, text, recorder);
            assertFalse(decoder.hasPartialMessage(), text);
            assertEquals(0, decoder.bufferedBytes(), text);
        }
        assertEquals(5, recorder.messages.size());
    }

    @Test
    void jsonDecoderStaysIdleWhenOnlyWhitespaceArrives() throws ProtocolException {
        JsonStreamDecoder decoder = new JsonStreamDecoder(Limits.DEFAULTS);
        Streams.Recorder recorder = new Streams.Recorder();
        for (int i = 0; i < 1000; i++) {
            decode(decoder, " \n\t\r".repeat(100), recorder);
            assertFalse(decoder.hasPartialMessage());
            assertEquals(0, decoder.bufferedBytes());
        }
        decode(decoder, "{\"type\":\"after\"}", recorder);
        assertEquals(1, recorder.messages.size());
    }

    @Test
    void jsonDecoderIsPartialInsideAnObjectAtEveryCut() throws ProtocolException {
        String object = "{\"type\":\"a\",\"s\":\"}{ 😀\",\"n\":[1,2]}";
        byte[] stream = utf8("  " + object + "\n ");
        int start = 2;
        int end = start + utf8(object).length;
        for (int cut = 0; cut <= stream.length; cut++) {
            JsonStreamDecoder decoder = new JsonStreamDecoder(Limits.DEFAULTS);
            decoder.decode(ByteBuffer.wrap(stream, 0, cut), new Streams.Recorder());
            boolean inside = cut > start && cut < end;
            assertEquals(inside, decoder.hasPartialMessage(), "cut at " + cut);
            assertEquals(inside ? cut - start : 0, decoder.bufferedBytes(), "cut at " + cut);
        }
    }

    @Test
    void jsonDecoderIsPartialWhileARootScalarMayStillGrow() throws ProtocolException {
        for (String text : new String[] {"4", "42", "tru", "\"abc", "-1.5e", "{\"type\":\"a\"} 7", "[1"}) {
            JsonStreamDecoder decoder = new JsonStreamDecoder(Limits.DEFAULTS);
            decode(decoder, text, new Streams.Recorder());
            assertTrue(decoder.hasPartialMessage(), text);
            assertTrue(decoder.bufferedBytes() > 0, text);
        }
    }

    @Test
    void jsonDecoderIsIdleAfterAnInSyncErrorEndsAtTheObject() throws ProtocolException {
        JsonStreamDecoder decoder = new JsonStreamDecoder(Limits.DEFAULTS);
        Streams.Recorder recorder = new Streams.Recorder();
        decode(decoder, "[1,2]\n", recorder);
        decode(decoder, "{\"id\":1}", recorder);
        decode(decoder, "{\"type\":\"x\",\"body_base64\":\"!!\"}  ", recorder);
        assertEquals(3, recorder.errors.size());
        assertFalse(decoder.hasPartialMessage());
        assertEquals(0, decoder.bufferedBytes());
    }

    @Test
    void jsonDecoderReleasedBetweenMessagesStillDecodesTheNextOneSplitAnywhere() throws ProtocolException {
        JsonStreamDecoder decoder = new JsonStreamDecoder(Limits.DEFAULTS);
        Streams.Recorder recorder = new Streams.Recorder();
        for (int i = 0; i < 100; i++) {
            decode(decoder, "{\"type\":\"m\",\"id\":" + i + "}\n", recorder);
            assertFalse(decoder.hasPartialMessage());
            decode(decoder, "  {\"type\":\"split\",", recorder);
            assertTrue(decoder.hasPartialMessage());
            decode(decoder, "\"id\":" + i + "}", recorder);
            assertFalse(decoder.hasPartialMessage());
        }
        assertEquals(200, recorder.messages.size());
        assertEquals(99, recorder.messages.get(199).id().intValue());
    }

    @Test
    void jsonDecoderCountsBytesOfAnEscapedPairWaitingForTheNextRead() throws ProtocolException {
        JsonStreamDecoder decoder = new JsonStreamDecoder(Limits.DEFAULTS);
        Streams.Recorder recorder = new Streams.Recorder();
        String start = "{\"type\":\"t\",\"\\ud83d\\ud";
        decode(decoder, start, recorder);
        assertTrue(decoder.hasPartialMessage());
        assertEquals(utf8(start).length, decoder.bufferedBytes());
        decode(decoder, "e00\":1}", recorder);
        assertFalse(decoder.hasPartialMessage());
        assertEquals(0, decoder.bufferedBytes());
        assertEquals("message {\"type\":\"t\",\"😀\":1} body=", recorder.lines.get(0));
    }

    @Test
    void heldTailIsAnUnfinishedEscapeOrACompleteHighEscapeAndAnUnfinishedOneAfterIt() {
        String[] held = {"\\", "\\u", "\\u0", "\\uD8", "\\ud83", "\\ud83d", "\\uD83D\\", "\\udbff\\u",
                "\\ud800\\uD", "\\uD83D\\udc", "\\ud83d\\ude0", "\\ud83d\\ue", "\\ud83d\\u0",
                "\\ud83d\\ud8", "\\uDBFF\\u004"};
        for (String tail : held) {
            assertEquals(tail.length(), JsonStreamDecoder.unfinishedEscapeTail(ByteBuffer.wrap(utf8("ab" + tail))),
                    tail);
        }
        String[] fed = {"\\ud83d\\ude00", "\\udc00", "\\ud7ff", "\\u0041", "\\uD83Dx", "\\ud83d\\ud83dx",
                "\\ud83d\\ueg", "ud83d", "\\ud83g", "\\ux"};
        for (String tail : fed) {
            assertEquals(0, JsonStreamDecoder.unfinishedEscapeTail(ByteBuffer.wrap(utf8("ab" + tail))), tail);
        }
    }

    @Test
    void jsonDecoderHoldsNothingAfterClose() throws ProtocolException {
        JsonStreamDecoder decoder = new JsonStreamDecoder(Limits.DEFAULTS);
        decode(decoder, "{\"type\":\"half", new Streams.Recorder());
        assertTrue(decoder.hasPartialMessage());
        decoder.close();
        assertFalse(decoder.hasPartialMessage());
        assertEquals(0, decoder.bufferedBytes());
    }

    @Test
    void emptyBufferChangesNothing() throws ProtocolException {
        for (MessageDecoder decoder : new MessageDecoder[] {new JsonStreamDecoder(Limits.DEFAULTS),
                new FrameDecoder(Limits.DEFAULTS)}) {
            Streams.Recorder recorder = new Streams.Recorder();
            decoder.decode(ByteBuffer.allocate(0), recorder);
            assertFalse(decoder.hasPartialMessage());
            assertEquals(0, decoder.bufferedBytes());
            assertTrue(recorder.lines.isEmpty());
        }
    }

    @Test
    void frameDecoderIsPartialFromTheFirstPrefixByteToTheLastBodyByteOfEachFrame() throws ProtocolException {
        byte[] first = frame("{\"type\":\"a\"}", utf8("body"));
        byte[] second = frame("{\"type\":\"b\"}");
        byte[] stream = concat(first, second);
        for (int cut = 0; cut <= stream.length; cut++) {
            FrameDecoder decoder = new FrameDecoder(Limits.DEFAULTS);
            decoder.decode(ByteBuffer.wrap(stream, 0, cut), new Streams.Recorder());
            boolean inside = cut != 0 && cut != first.length && cut != stream.length;
            assertEquals(inside, decoder.hasPartialMessage(), "cut at " + cut);
            if (!inside) {
                assertEquals(0, decoder.bufferedBytes(), "cut at " + cut);
            }
        }
    }

    @Test
    void frameDecoderIsPartialWhileSkippingAndIdleAfterTheSkippedFrame() throws ProtocolException {
        FrameDecoder decoder = new FrameDecoder(new Limits(64, 10));
        Streams.Recorder recorder = new Streams.Recorder();
        byte[] tooLarge = frame("{\"type\":\"big\"}", new byte[50]);
        decoder.decode(ByteBuffer.wrap(tooLarge, 0, tooLarge.length - 1), recorder);
        assertEquals(1, recorder.errors.size());
        assertTrue(decoder.hasPartialMessage(), "one body byte still to skip");
        assertEquals(0, decoder.bufferedBytes(), "skipped bytes are not stored");
        decoder.decode(ByteBuffer.wrap(tooLarge, tooLarge.length - 1, 1), recorder);
        assertFalse(decoder.hasPartialMessage());
        assertEquals(0, decoder.bufferedBytes());
    }

    @Test
    void frameDecoderIsIdleAfterAnInSyncErrorWithNothingToSkip() throws ProtocolException {
        FrameDecoder decoder = new FrameDecoder(Limits.DEFAULTS);
        Streams.Recorder recorder = new Streams.Recorder();
        decoder.decode(ByteBuffer.wrap(concat(frame(0, 0, new byte[0], new byte[0]), frame("[1]"))), recorder);
        assertEquals(2, recorder.errors.size());
        assertFalse(decoder.hasPartialMessage());
        assertEquals(0, decoder.bufferedBytes());
    }
}
