package io.courier.bench.jmh;

import io.courier.protocol.Framing;
import io.courier.protocol.Message;
import io.courier.protocol.MessageEncoder;

import java.nio.ByteBuffer;
import java.util.Arrays;

/** The messages the codec benchmarks work on, built the same way for both framings. */
final class BenchmarkMessages {
    /** Header size of a "small" message, as in the load test's echo scenario. */
    static final int SMALL_HEADER_BYTES = 100;
    /** Messages in one buffer for the many-small-messages benchmarks. */
    static final int SMALL_MESSAGES = 100;
    /** Body of the "large" message. */
    static final int LARGE_BODY_BYTES = 64 * 1024;

    private BenchmarkMessages() {
    }

    /**
     * An echo request whose JSON header is exactly {@code headerBytes} long (a {@code pad} field makes up the
     * difference), with {@code id} and the given body.
     */
    static Message echo(long id, int headerBytes, byte[] body) {
        Message message = Message.of("echo").with("id", id).with("pad", "");
        int base = message.header().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        char[] pad = new char[Math.max(0, headerBytes - base)];
        Arrays.fill(pad, 'x');
        return message.with("pad", new String(pad)).withBody(body);
    }

    /** A body of {@code length} bytes that is not all zeros. */
    static byte[] body(int length) {
        byte[] body = new byte[length];
        for (int i = 0; i < length; i++) {
            body[i] = (byte) (i * 131 + 7);
        }
        return body;
    }

    /** {@code count} small echo requests, encoded back to back in one array, as one read might deliver them. */
    static byte[] encodedSmall(Framing framing, int count) {
        MessageEncoder.ArraySink sink = new MessageEncoder.ArraySink();
        for (int i = 0; i < count; i++) {
            framing.encoder().encode(echo(i, SMALL_HEADER_BYTES, new byte[0]), sink);
        }
        return toArray(sink.toBuffer());
    }

    /** One echo request with a {@link #LARGE_BODY_BYTES} body, encoded. */
    static byte[] encodedLarge(Framing framing) {
        return toArray(framing.encoder().encode(echo(1, SMALL_HEADER_BYTES, body(LARGE_BODY_BYTES))));
    }

    private static byte[] toArray(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }
}
