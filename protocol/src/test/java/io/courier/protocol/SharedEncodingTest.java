package io.courier.protocol;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }
}
