package io.courier.protocol;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FramingDetectionTest {

    @Test
    void everyFirstByteValueMapsToTheFramingItStartsOrToNone() {
        for (int value = 0; value <= 255; value++) {
            Framing expected;
            switch (value) {
                case 0x00:
                    expected = Framing.BINARY;
                    break;
                case '{': case ' ': case '\t': case '\r': case '\n':
                    expected = Framing.JSON_TEXT;
                    break;
                default:
                    expected = null;
            }
            assertEquals(expected, Framing.detect((byte) value), String.format("first byte 0x%02x", value));
        }
    }

    @Test
    void httpRequestTlsHelloAndJsonArrayStartNoFraming() {
        assertNull(Framing.detect((byte) 'G'), "GET / HTTP/1.1");
        assertNull(Framing.detect((byte) 'P'), "POST");
        assertNull(Framing.detect((byte) 0x16), "TLS ClientHello record");
        assertNull(Framing.detect((byte) '['), "a JSON array is not a message");
        assertNull(Framing.detect((byte) '"'), "a JSON string is not a message");
        assertNull(Framing.detect((byte) 0x01), "a binary frame prefix never starts with 0x01");
        assertNull(Framing.detect((byte) 0xff), "0xff");
    }

    @Test
    void eachFramingMakesItsOwnDecoderAndEncoder() {
        assertInstanceOf(FrameDecoder.class, Framing.BINARY.newDecoder(Limits.DEFAULTS));
        assertInstanceOf(JsonStreamDecoder.class, Framing.JSON_TEXT.newDecoder(Limits.DEFAULTS));
        assertSame(FrameEncoder.INSTANCE, Framing.BINARY.encoder());
        assertSame(JsonTextEncoder.INSTANCE, Framing.JSON_TEXT.encoder());
    }

    @Test
    void unknownProtocolExpectationNamesTheByteInHexAndBothFramings() {
        String sentence = Framing.expectation((byte) 'G');
        assertTrue(sentence.contains("0x47"), sentence);
        assertTrue(sentence.contains("0x00") && sentence.contains("'{'"), sentence);
        assertTrue(Framing.expectation((byte) 0xff).contains("0xff"), "unsigned hex for negative bytes");
    }

    @Test
    void maximumHeaderLengthKeepsTheFirstByteOfAFrameZero() {
        byte[] frame = Streams.frame(Limits.ABSOLUTE_MAX_HEADER_BYTES, Integer.MAX_VALUE, new byte[0], new byte[0]);
        assertEquals(Framing.BINARY, Framing.detect(frame[0]));
    }
}
