package io.courier.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Test helpers: build byte streams, cut them into chunks, feed the chunks to a decoder the way a server would (one
 * reused read buffer, scribbled over after every call) and record what came out as comparable lines.
 */
final class Streams {
    private Streams() {
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** A binary frame with the given header bytes and body, lengths taken from the arrays. */
    static byte[] frame(byte[] header, byte[] body) {
        return frame(header.length, body.length, header, body);
    }

    static byte[] frame(String headerJson, byte[] body) {
        return frame(utf8(headerJson), body);
    }

    static byte[] frame(String headerJson) {
        return frame(utf8(headerJson), new byte[0]);
    }

    /** A frame whose declared lengths may lie about the bytes that follow (only the given bytes are written). */
    static byte[] frame(long declaredHeader, long declaredBody, byte[] header, byte[] body) {
        ByteBuffer out = ByteBuffer.allocate(8 + header.length + body.length);
        out.putInt((int) declaredHeader).putInt((int) declaredBody).put(header).put(body);
        return out.array();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    static byte[] repeat(byte value, int count) {
        byte[] bytes = new byte[count];
        Arrays.fill(bytes, value);
        return bytes;
    }

    static byte[] randomBytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    // ---- chunkings ----------------------------------------------------------------------------------------------

    static List<byte[]> whole(byte[] stream) {
        return List.of(stream);
    }

    static List<byte[]> splitAt(byte[] stream, int offset) {
        return List.of(Arrays.copyOfRange(stream, 0, offset), Arrays.copyOfRange(stream, offset, stream.length));
    }

    static List<byte[]> byteByByte(byte[] stream) {
        List<byte[]> chunks = new ArrayList<>(stream.length);
        for (byte b : stream) {
            chunks.add(new byte[] {b});
        }
        return chunks;
    }

    /** Random chunk sizes from 1 to {@code maxChunk}, with empty chunks mixed in (a read that returned 0). */
    static List<byte[]> randomChunks(byte[] stream, Random random, int maxChunk) {
        List<byte[]> chunks = new ArrayList<>();
        int at = 0;
        while (at < stream.length) {
            if (random.nextInt(20) == 0) {
                chunks.add(new byte[0]);
            }
            int size = Math.min(stream.length - at, 1 + random.nextInt(maxChunk));
            chunks.add(Arrays.copyOfRange(stream, at, at + size));
            at += size;
        }
        return chunks;
    }

    // ---- feeding ------------------------------------------------------------------------------------------------

    /**
     * Feeds the chunks in order through reused buffers (heap, direct or read-only in turn, the chunk placed at a
     * non-zero position between garbage bytes) and returns what the decoder reported, one line per event. A thrown
     * {@link ProtocolException} ends the feed and is recorded as the last line. Checks after every call that the
     * decoder consumed exactly the chunk.
     */
    static List<String> feed(MessageDecoder decoder, List<byte[]> chunks) {
        Recorder recorder = new Recorder();
        feed(decoder, chunks, recorder);
        return recorder.lines;
    }

    static void feed(MessageDecoder decoder, List<byte[]> chunks, Recorder recorder) {
        int largest = chunks.stream().mapToInt(c -> c.length).max().orElse(0);
        // Little-endian, where the read-only view and the direct buffer are big-endian: the wire's order is the
        // decoder's business, whatever order the buffer it is handed was set to.
        ByteBuffer heap = ByteBuffer.allocate(largest + 16).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer direct = DIRECT.get();
        if (direct.capacity() < largest + 16) {
            direct = ByteBuffer.allocateDirect(largest + 16);
            DIRECT.set(direct);
        }
        int index = 0;
        for (byte[] chunk : chunks) {
            int kind = index++ % 3;
            ByteBuffer buffer = kind == 1 ? direct : heap;
            scribble(buffer);
            int start = 7;
            buffer.clear().position(start);
            buffer.put(chunk);
            buffer.limit(start + chunk.length).position(start);
            if (kind == 2) {
                buffer = buffer.asReadOnlyBuffer(); // same bytes, no array() for the decoder to reach into
            }
            try {
                decoder.decode(buffer, recorder);
            } catch (ProtocolException e) {
                recorder.lines.add("thrown " + describe(e));
                recorder.thrown = e;
                return;
            }
            assertEquals(start + chunk.length, buffer.position(), "decode must consume the whole buffer");
            assertEquals(start + chunk.length, buffer.limit(), "decode must not move the limit");
        }
    }

    /** Direct buffers are slow to allocate and free: one per thread, grown when a chunk needs more. */
    private static final ThreadLocal<ByteBuffer> DIRECT = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(4096));

    /** Overwrites a buffer so a decoder that kept a reference to it sees garbage next time. */
    private static void scribble(ByteBuffer buffer) {
        buffer.clear();
        buffer.put(SCRIBBLE, 0, Math.min(SCRIBBLE.length, buffer.capacity()));
        while (buffer.hasRemaining()) {
            buffer.put((byte) '}');
        }
        buffer.clear();
    }

    private static final byte[] SCRIBBLE = repeat((byte) '}', 4096);

    static String describe(Message message) {
        byte[] body = message.body();
        String bodyText = body.length <= 256 ? Base64.getEncoder().encodeToString(body)
                : body.length + " bytes sha256 " + sha256(body);
        return "message " + message.header() + " body=" + bodyText;
    }

    static String describe(ProtocolException e) {
        return e.code().wireName() + " inSync=" + e.inSync() + " type=" + e.requestType() + " id=" + e.requestId();
    }

    /** Records messages and in-sync errors in the order the decoder reports them. */
    static final class Recorder implements MessageDecoder.Sink {
        final List<String> lines = new ArrayList<>();
        final List<Message> messages = new ArrayList<>();
        final List<ProtocolException> errors = new ArrayList<>();
        ProtocolException thrown;

        @Override
        public void onMessage(Message message) {
            messages.add(message);
            lines.add(describe(message));
        }

        @Override
        public void onError(ProtocolException error) {
            errors.add(error);
            lines.add("error " + describe(error));
        }
    }
}
