package io.courier.loadtest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.courier.protocol.Framing;
import io.courier.protocol.Json;
import io.courier.protocol.Limits;
import io.courier.protocol.Message;
import io.courier.protocol.MessageDecoder;
import io.courier.protocol.MessageEncoder;
import io.courier.protocol.ProtocolException;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The hand-assembled binary frames the client sends are exactly the requests it verifies replies against. */
class RequestFactoryTest {

    private static Message decode(ByteBuffer frame) throws ProtocolException {
        List<Message> out = new ArrayList<>();
        Framing.BINARY.newDecoder(Limits.DEFAULTS).decode(frame, new MessageDecoder.Sink() {
            @Override
            public void onMessage(Message message) {
                out.add(message);
            }

            @Override
            public void onError(ProtocolException error) {
                throw new AssertionError(error.getMessage());
            }
        });
        assertEquals(1, out.size());
        return out.get(0);
    }

    @Test
    void binaryFastPathEncodesTheSameRequestAsTheTree() throws Exception {
        ObjectNode template = Json.NODES.objectNode().put("room", "lobby \"1\"").put("n", 7);
        for (RequestFactory factory : List.of(new RequestFactory("echo", Json.NODES.objectNode(), 0, 0, 1),
                new RequestFactory("echo", Json.NODES.objectNode(), 100, 300, 2),
                new RequestFactory("custom.type", template, 200, 0, 3), RequestFactory.pings())) {
            for (long id : new long[] {0, 1, 42, 1_000_000_007L}) {
                MessageEncoder.ArraySink sink = new MessageEncoder.ArraySink();
                factory.writeBinaryFrame(id, sink);
                Message fast = decode(sink.toBuffer());
                Message tree = factory.create(id);
                assertEquals(Json.MAPPER.readTree(tree.header().toString()), fast.header(), "request " + id);
                assertArrayEquals(tree.body(), fast.body(), "body of request " + id);
            }
        }
    }
}
