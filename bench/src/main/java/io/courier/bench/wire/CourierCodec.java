package io.courier.bench.wire;

import io.courier.protocol.Framing;
import io.courier.protocol.Limits;
import io.courier.protocol.Message;
import io.courier.protocol.MessageDecoder;
import io.courier.protocol.MessageEncoder;
import io.courier.protocol.ProtocolException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Courier's binary frames through the protocol module's own encoder and decoder: {@code ping}, {@code echo} with a
 * body, rooms as topics ({@code room.join}, {@code room.say} with the payload as its {@code text}, deliveries as
 * {@code room.message} events). Replies come in request order on a connection, so no ids are needed.
 */
final class CourierCodec implements WireCodec {
    private static final MessageEncoder ENCODER = Framing.BINARY.encoder();
    private static final Message PING = Message.of("ping");

    private final MessageDecoder decoder = Framing.BINARY.newDecoder(Limits.DEFAULTS);

    @Override
    public void hello(OutBytes out) {
    }

    @Override
    public void ping(OutBytes out) {
        ENCODER.encode(PING, out);
    }

    @Override
    public void echo(OutBytes out, String subject, byte[] payload) {
        ENCODER.encode(Message.of("echo").withBody(payload), out);
    }

    @Override
    public boolean echoNeedsSubscription() {
        return false;
    }

    @Override
    public void subscribe(OutBytes out, String topic, String member) {
        ENCODER.encode(Message.of("room.join").with("room", topic).with("name", member), out);
    }

    @Override
    public void publish(OutBytes out, String topic, byte[] payload) {
        // The payloads are ASCII, so as a JSON string they need no escaping and keep their length.
        ENCODER.encode(Message.of("room.say").with("room", topic)
                .with("text", new String(payload, StandardCharsets.ISO_8859_1)), out);
    }

    @Override
    public boolean publishAcks() {
        return true;
    }

    @Override
    public boolean publisherReceives() {
        return true;
    }

    @Override
    public void read(ByteBuffer in, WireEvents events) throws IOException {
        try {
            decoder.decode(in, new MessageDecoder.Sink() {
                @Override
                public void onMessage(Message message) {
                    dispatch(message, events);
                }

                @Override
                public void onError(ProtocolException error) {
                    events.error(error.getMessage());
                }
            });
        } catch (ProtocolException e) {
            throw new IOException("Courier stream out of sync: " + e.getMessage(), e);
        }
    }

    private static void dispatch(Message message, WireEvents events) {
        String type = message.type();
        if (message.isReply()) {
            if (!message.isOk()) {
                events.error(type + ": " + message.errorCode());
            } else if ("ping".equals(type)) {
                events.pong();
            } else if ("echo".equals(type)) {
                events.data(message.body(), 0, message.bodyLength());
            } else {
                events.ack(); // room.join, room.say
            }
        } else if ("room.message".equals(type)) {
            String text = message.textField("text");
            byte[] bytes = text == null ? new byte[0] : text.getBytes(StandardCharsets.ISO_8859_1);
            events.data(bytes, 0, bytes.length);
        }
        // room.joined, room.left: membership news, not deliveries.
    }
}
