package io.courier.protocol;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** A message many connections send is encoded once per framing, to exactly the bytes a normal encode writes. */
class SharedEncodingTest {
    @Test
    void eachFramingEncodesASharedMessageOnceToTheSameBytes() {
        Message event = Message.of("room.message").with("room", "r").with("text", "你好 😀").with("name", "n")
                .withBody(new byte[] {0, 1, 2, (byte) 0xff}).shared();
        for (Framing framing : Framing.values()) {
            MessageEncoder encoder = framing.encoder();
            byte[] once = event.encodedOnce(encoder);
            assertArrayEquals(bytes(encoder.encode(event)), once, framing + ": the same bytes as a plain encode");
            assertSame(once, event.encodedOnce(encoder), framing + ": encoded once, then kept");
        }
    }

    @Test
    void aBinaryFrameKnowsItsLengthBeforeEncodingForHeadersInBytes() throws Exception {
        byte[] small = {1, 2, 3};
        byte[] large = new byte[10_000];
        byte[] raw = "{ \"type\" : \"echo\", \"id\": 4 }".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        MessageEncoder frames = Framing.BINARY.encoder();
        for (byte[] body : new byte[][] {new byte[0], small, large}) {
            Message built = HeaderWriter.of("room.message").field("text", "é").message(body);
            Message lazy = Message.lazy(raw, HeaderScan.scan(raw), body);
            Message reply = Message.lazy(raw, HeaderScan.scan(raw), body).asReply();
            for (Message message : new Message[] {built, lazy, reply}) {
                assertEquals(frames.encode(message).remaining(), frames.encodedLength(message));
                assertEquals(message.encodedOnce(frames).length, frames.encodedLength(message));
            }
        }
        assertEquals(-1, frames.encodedLength(Message.of("tree")), "a tree's length is known only by encoding it");
        assertEquals(-1, Framing.JSON_TEXT.encoder().encodedLength(Message.of("tree")));
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }
}
