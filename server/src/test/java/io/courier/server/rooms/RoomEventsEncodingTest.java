package io.courier.server.rooms;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.courier.protocol.Framing;
import io.courier.protocol.Json;
import io.courier.protocol.Limits;
import io.courier.protocol.Message;
import io.courier.protocol.MessageDecoder;
import io.courier.protocol.MessageEncoder;
import io.courier.protocol.ProtocolException;
import io.courier.protocol.websocket.MessageKind;
import io.courier.protocol.websocket.WebSocketEncoder;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * The room events and replies are written without a tree (HeaderWriter); each must encode, in every framing, to
 * the bytes the tree it replaced encodes to.
 */
class RoomEventsEncodingTest {
    private static final List<MessageEncoder> ENCODERS = List.of(Framing.BINARY.encoder(),
            Framing.JSON_TEXT.encoder(), WebSocketEncoder.of(MessageKind.TEXT), WebSocketEncoder.of(MessageKind.BINARY));

    @Test
    void aRoomMessageIsTheTreeItReplaced() throws Exception {
        List<String> requests = List.of(
                "{\"type\":\"room.say\",\"id\":1,\"room\":\"r\",\"text\":\"hi\"}",
                "{\"type\":\"room.say\",\"text\":\"first\",\"id\":\"x\",\"room\":\"r\"}",
                "{\"type\":\"room.say\",\"room\":\"r\",\"name\":\"spoofed\",\"text\":\"ü 😀 \\n\\u0001\",\"seq\":9,"
                        + "\"epoch\":\"e\",\"ok\":true,\"error\":{},\"body_base64\":\"AA==\",\"extra\":[1,2.5,{\"k\":null}],"
                        + "\"n\":12345678901234567890,\"f\":false}",
                "{\"text\":\"type last\",\"x\":-3,\"type\":\"room.say\",\"room\":\"日本\"}");
        for (String json : requests) {
            for (byte[] body : List.of(new byte[0], new byte[] {1, 2, 3})) {
                Message request = new Message((ObjectNode) Json.MAPPER.readTree(json), body);
                Message tree = RoomEvents.message(RoomEvents.messageHeader(request, "日本", "名前"), 42, "ep-1", body);
                Message built = RoomEvents.messageEvent(request, "日本", "名前", 42, "ep-1", body);
                assertSame(tree, built, json);
                // The same request as a binary frame (spaced out): its event is copied from its bytes.
                Message fromFrame = decodedFrame(json.replace(",", " ,\n ").replace(":", " : "), body);
                assertSame(tree, RoomEvents.messageEvent(fromFrame, "日本", "名前", 42, "ep-1", body), "frame " + json);
            }
        }
    }

    @Test
    void theRepliesAndMembershipEventsAreTheTreesTheyReplaced() {
        Message request = Message.of("room.join").with(Message.ID, "j-1");
        assertSame(Message.replyTo(request).with("room", "r").with("name", "n")
                        .with("members", Json.NODES.arrayNode().add("a").add("n")).with("seq", 7).with("epoch", "e")
                        .with("recovered", true),
                RoomEvents.joinReply(request, "r", "n", List.of("a", "n"), 7, "e", true), "join, recovered");
        assertSame(Message.replyTo(request).with("room", "r").with("name", "n")
                        .with("members", Json.NODES.arrayNode()).with("seq", 0).with("epoch", "e"),
                RoomEvents.joinReply(request, "r", "n", List.of(), 0, "e", null), "join");
        assertSame(Message.replyTo(request).with("room", "r").with("delivered", 3),
                RoomEvents.sayReply(request, "r", 3), "say");
        assertSame(Message.of(RoomEvents.JOINED).with("room", "r").with("name", "n"),
                RoomEvents.joined("r", "n"), "joined");
        assertSame(Message.of(RoomEvents.LEFT).with("room", "r").with("name", "n").with("reason", "left"),
                RoomEvents.left("r", "n", "left"), "left");
    }

    /** {@code json} and {@code body} in a binary frame, through the binary decoder. */
    private static Message decodedFrame(String json, byte[] body) throws Exception {
        byte[] header = json.getBytes(StandardCharsets.UTF_8);
        ByteBuffer frame = ByteBuffer.allocate(8 + header.length + body.length);
        frame.putInt(header.length).putInt(body.length).put(header).put(body).flip();
        List<Message> decoded = new ArrayList<>();
        Framing.BINARY.newDecoder(Limits.DEFAULTS).decode(frame, new MessageDecoder.Sink() {
            @Override
            public void onMessage(Message message) {
                decoded.add(message);
            }

            @Override
            public void onError(ProtocolException error) {
                throw new AssertionError(json, error);
            }
        });
        return decoded.get(0);
    }

    private static void assertSame(Message tree, Message built, String what) {
        for (MessageEncoder encoder : ENCODERS) {
            assertArrayEquals(bytes(encoder.encode(tree)), bytes(encoder.encode(built)), what + ", " + encoder);
        }
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }
}
