package io.courier.bench.wire;

import io.courier.protocol.Framing;
import io.courier.protocol.Message;
import io.courier.protocol.MessageEncoder;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CourierCodecTest {
    private static final MessageEncoder ENCODER = Framing.BINARY.encoder();

    private static void frame(ByteArrayOutputStream stream, Message message) {
        ByteBuffer bytes = ENCODER.encode(message);
        stream.write(bytes.array(), bytes.position(), bytes.remaining());
    }

    @Test
    void repliesAndRoomEventsMapToTheSameEventsAsTheOtherProtocolsHoweverCut() throws IOException {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        frame(stream, Message.of("ping").with("ok", true).with("time", 1L));
        frame(stream, Message.of("room.join").with("ok", true).with("room", "fanout"));
        frame(stream, Message.of("room.joined").with("room", "fanout").with("name", "m2")); // membership: ignored
        frame(stream, Message.of("room.message").with("room", "fanout").with("text", "hello").with("seq", 1L));
        frame(stream, Message.of("echo").with("ok", true).withBody(new byte[] {'a', 'b'}));
        frame(stream, Message.error("room.say", null, io.courier.protocol.ErrorCode.BAD_REQUEST, "not a member"));

        for (List<String> events : Splits.everyWay(CourierCodec::new, stream.toByteArray())) {
            assertEquals(List.of("pong", "ack", "data:hello", "data:ab", "error:room.say: bad_request"), events);
        }
    }

    @Test
    void aSayCarriesThePayloadAsItsText() throws Exception {
        OutBytes out = new OutBytes();
        new CourierCodec().publish(out, "fanout", "0123".getBytes());
        Recorded recorded = new Recorded();
        Framing.BINARY.newDecoder(io.courier.protocol.Limits.DEFAULTS).decode(ByteBuffer.wrap(out.toArray()),
                new io.courier.protocol.MessageDecoder.Sink() {
                    @Override
                    public void onMessage(Message message) {
                        recorded.events.add(message.type() + " " + message.textField("room") + " "
                                + message.textField("text"));
                    }

                    @Override
                    public void onError(io.courier.protocol.ProtocolException error) {
                        recorded.error(error.getMessage());
                    }
                });
        assertEquals(List.of("room.say fanout 0123"), recorded.events);
    }
}
