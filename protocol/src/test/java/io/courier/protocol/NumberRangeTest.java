package io.courier.protocol;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static io.courier.protocol.Streams.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Numbers past the range of a double stay numbers. Found by ConnectionBytesFuzzTest and JsonStreamDecoderFuzzTest
 * (encode-then-decode): 1e400 became an infinite double, which Jackson writes as the string "Infinity", so an echo
 * in JSON text changed a number into a string, and a reply to an id of 1e400 carried the id "Infinity".
 */
class NumberRangeTest {
    private static final String HEADER = "{\"type\":\"t\",\"id\":1e400,\"n\":-1E+400,\"a\":[2.5e-3,1e308]}";

    private static Message decodeOne(Framing framing, byte[] bytes) {
        Streams.Recorder recorder = new Streams.Recorder();
        Streams.feed(framing.newDecoder(Limits.DEFAULTS), Streams.whole(bytes), recorder);
        assertNull(recorder.thrown, recorder.lines::toString);
        assertEquals(1, recorder.messages.size(), recorder.lines::toString);
        return recorder.messages.get(0);
    }

    private static byte[] bytesOf(Framing framing) {
        return framing == Framing.BINARY ? Streams.frame(HEADER) : utf8(HEADER);
    }

    @Test
    void numbersBeyondTheRangeOfADoubleKeepTheirValueInBothFramings() {
        for (Framing framing : Framing.values()) {
            Message message = decodeOne(framing, bytesOf(framing));
            assertTrue(message.id().isNumber(), framing + " id " + message.id());
            assertEquals(new BigDecimal("1e400"), message.id().decimalValue(), framing.name());
            assertEquals(new BigDecimal("-1e400"), message.header().get("n").decimalValue(), framing.name());
            assertEquals(0.0025, message.header().get("a").get(0).doubleValue(), framing.name());
            assertEquals(1e308, message.header().get("a").get(1).doubleValue(), framing.name());
        }
    }

    @Test
    void anEchoAndAReplyCarryThemBackAsNumbers() {
        for (Framing framing : Framing.values()) {
            Message request = decodeOne(framing, bytesOf(framing));
            Message reply = Message.replyTo(request);
            Message echoed = decodeOne(framing, Streams.concat(encoded(framing, request.asReply())));
            Message replied = decodeOne(framing, encoded(framing, reply));
            assertEquals(request.header(), echoed.header(), framing.name());
            assertTrue(echoed.header().get("n").isNumber(), framing + ": " + echoed.header());
            assertEquals(request.id(), replied.id(), framing + ": the reply's id matches the request's");
            assertTrue(replied.id().isNumber(), framing + ": " + replied.header());
        }
    }

    @Test
    void anExponentNoNumberTypeHoldsIsMalformedInBothFramings() {
        String header = "{\"type\":\"t\",\"n\":1e99999999999}";
        List<String> text = Streams.feed(new JsonStreamDecoder(Limits.DEFAULTS), Streams.whole(utf8(header)));
        assertEquals(1, text.size(), text.toString());
        assertTrue(text.get(0).startsWith("thrown malformed"), text.toString());
        // In a binary header too, and when the frame is read: not later, when a handler builds the tree.
        List<String> binary = Streams.feed(new FrameDecoder(Limits.DEFAULTS), Streams.whole(Streams.frame(header)));
        assertEquals(1, binary.size(), binary.toString());
        assertTrue(binary.get(0).startsWith("thrown malformed"), binary.toString());
    }

    private static byte[] encoded(Framing framing, Message message) {
        java.nio.ByteBuffer buffer = framing.encoder().encode(message);
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }
}
