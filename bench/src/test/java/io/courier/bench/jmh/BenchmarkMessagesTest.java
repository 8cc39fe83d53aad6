package io.courier.bench.jmh;

import io.courier.protocol.Framing;
import io.courier.protocol.Json;
import io.courier.protocol.Limits;
import io.courier.protocol.Message;
import io.courier.protocol.MessageDecoder;
import io.courier.protocol.ProtocolException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The benchmarks measure what they say: whole messages of the stated sizes, decodable again and again. */
class BenchmarkMessagesTest {
    private static List<Message> decodeTwice(Framing framing, byte[] bytes) throws ProtocolException {
        List<Message> messages = new ArrayList<>();
        MessageDecoder decoder = framing.newDecoder(Limits.DEFAULTS);
        MessageDecoder.Sink sink = new MessageDecoder.Sink() {
            @Override
            public void onMessage(Message message) {
                messages.add(message);
            }

            @Override
            public void onError(ProtocolException error) {
                throw new AssertionError(error.getMessage());
            }
        };
        decoder.decode(ByteBuffer.wrap(bytes), sink);
        decoder.decode(ByteBuffer.wrap(bytes), sink);
        assertFalse(decoder.hasPartialMessage());
        return messages;
    }

    @ParameterizedTest
    @EnumSource(Framing.class)
    void theSmallBufferHoldsOneHundredWholeEchoRequestsWithHundredByteHeaders(Framing framing) throws Exception {
        List<Message> messages = decodeTwice(framing, BenchmarkMessages.encodedSmall(framing,
                BenchmarkMessages.SMALL_MESSAGES));

        assertEquals(2 * BenchmarkMessages.SMALL_MESSAGES, messages.size());
        Message first = messages.get(0);
        assertEquals("echo", first.type());
        assertEquals(BenchmarkMessages.SMALL_HEADER_BYTES, Json.MAPPER.writeValueAsBytes(first.header()).length);
        assertEquals(0, first.bodyLength());
    }

    @ParameterizedTest
    @EnumSource(Framing.class)
    void theLargeMessageCarriesItsWholeBody(Framing framing) throws Exception {
        List<Message> messages = decodeTwice(framing, BenchmarkMessages.encodedLarge(framing));

        assertEquals(2, messages.size());
        assertArrayEquals(BenchmarkMessages.body(BenchmarkMessages.LARGE_BODY_BYTES), messages.get(1).body());
    }

    @ParameterizedTest
    @EnumSource(Framing.class)
    void encodingIntoTheReusedSinkGivesTheSameBytesEveryTime(Framing framing) {
        EncodeBenchmarks benchmarks = new EncodeBenchmarks();
        benchmarks.framing = framing;
        benchmarks.setUp();

        long first = benchmarks.smallReply(null);
        assertEquals(first, benchmarks.smallReply(null));
        assertEquals(framing.encoder().encode(BenchmarkMessages.echo(7, BenchmarkMessages.SMALL_HEADER_BYTES,
                new byte[0]).with("ok", true)).remaining(), first);
    }
}
