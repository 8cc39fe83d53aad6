package io.courier.server.support;

import io.courier.protocol.Framing;
import io.courier.protocol.Message;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

/**
 * Builds request bytes exactly as PROTOCOL.md lays them out, independently of the encoders under test where that
 * matters: binary frames from raw header bytes (so tests can send any header, valid or not) and lengths that lie.
 */
public final class Frames {
    private Frames() {
    }

    /** {@code u32 H | u32 B | header | body}, big-endian, with the true lengths. */
    public static byte[] binary(byte[] header, byte[] body) {
        ByteBuffer frame = ByteBuffer.allocate(8 + header.length + body.length);
        frame.putInt(header.length).putInt(body.length).put(header).put(body);
        return frame.array();
    }

    /** A binary frame whose header is the given JSON text (UTF-8), with an empty body. */
    public static byte[] binary(String headerJson) {
        return binary(utf8(headerJson), new byte[0]);
    }

    public static byte[] binary(String headerJson, byte[] body) {
        return binary(utf8(headerJson), body);
    }

    /** Just the 8-byte prefix, with whatever lengths a test wants to claim. */
    public static byte[] prefix(long headerLength, long bodyLength) {
        return ByteBuffer.allocate(8).putInt((int) headerLength).putInt((int) bodyLength).array();
    }

    /** A message in the given framing, encoded by the protocol module's encoder. */
    public static byte[] encode(Message message, Framing framing) {
        ByteBuffer encoded = framing.encoder().encode(message);
        return Arrays.copyOfRange(encoded.array(), encoded.arrayOffset() + encoded.position(),
                encoded.arrayOffset() + encoded.limit());
    }

    /** An echo request with a numeric id and a {@code text} field. */
    public static Message echo(long id, String text) {
        return Message.of("echo").with("id", id).with("text", text);
    }

    /** {@code count} echo requests, ids 0..count-1, glued into one byte array. */
    public static byte[] echoes(int count, Framing framing) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int i = 0; i < count; i++) {
            all.writeBytes(encode(echo(i, "message " + i), framing));
        }
        return all.toByteArray();
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            all.writeBytes(part);
        }
        return all.toByteArray();
    }

    public static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Deterministic pseudo-random bytes (so a failure can be reproduced). */
    public static byte[] randomBytes(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
