package io.courier.bench.jmh;

import io.courier.protocol.Framing;
import io.courier.protocol.Limits;
import io.courier.protocol.Message;
import io.courier.protocol.MessageDecoder;
import io.courier.protocol.ProtocolException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The JSON-text decoder on the inputs that stress its different parts, from a direct buffer as the server's read
 * buffer is: many small messages glued in one read; one message with a 64 KiB body (base64) split into
 * {@value #SPLIT_READ_BYTES}-byte reads; one message with a 64 KiB string of mixed ASCII and multi-byte UTF-8 in
 * one read; one message of strings full of escapes (as Python's json.dumps writes non-ASCII text) in one read.
 * Score: nanoseconds per decoded message.
 *
 * <p>These cases chose between Jackson's non-blocking parser and an owned boundary scanner in front of Jackson's
 * blocking parser (BENCHMARKS.md, "JSON-text decoder"); commit 40a9c0f has both decoders and this benchmark with a
 * {@code decoder} parameter to compare them again.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class JsonTextDecodeBenchmarks {
    static final int SPLIT_READ_BYTES = 1460;
    private static final int LARGE_BYTES = 64 * 1024;

    private MessageDecoder decoder;
    private ByteBuffer small;
    private ByteBuffer split;
    private ByteBuffer largeString;
    private ByteBuffer escapes;
    private BlackholeSink sink;

    @Setup
    public void setUp(Blackhole blackhole) {
        decoder = Framing.JSON_TEXT.newDecoder(Limits.DEFAULTS);
        sink = new BlackholeSink(blackhole);
        small = direct(BenchmarkMessages.encodedSmall(Framing.JSON_TEXT, BenchmarkMessages.SMALL_MESSAGES));
        split = direct(BenchmarkMessages.encodedLarge(Framing.JSON_TEXT));
        largeString = direct(utf8("{\"type\":\"chat.say\",\"id\":7,\"room\":\"lobby\",\"text\":\""
                + repeatTo("Grüße aus Zürich, 東京 und 😀 — plain ASCII words fill most of a chat line. ", LARGE_BYTES)
                + "\"}\n"));
        escapes = direct(utf8("{\"type\":\"chat.say\",\"id\":8,\"text\":\"" + repeatTo("caf\\u00e9 \\ud83d\\ude00 "
                + "\\\"quoted\\\"\\tline\\nnext \\\\ path \\u4e16\\u754c ", 8 * 1024) + "\",\"\\ud83c\\udf89\":true}\n"));
        for (ByteBuffer input : new ByteBuffer[] {small, split, largeString, escapes}) {
            checkDecodes(input);
        }
    }

    /** Score: ns per small (~100-byte) message, {@value BenchmarkMessages#SMALL_MESSAGES} glued in one read. */
    @Benchmark
    @OperationsPerInvocation(BenchmarkMessages.SMALL_MESSAGES)
    public void smallGlued() throws ProtocolException {
        decoder.decode(small.clear(), sink);
    }

    /** Score: ns per 64 KiB-body message arriving in reads of {@value #SPLIT_READ_BYTES} bytes. */
    @Benchmark
    public void splitOverReads() throws ProtocolException {
        int length = split.capacity();
        for (int at = 0; at < length; at += SPLIT_READ_BYTES) {
            decoder.decode(split.limit(Math.min(length, at + SPLIT_READ_BYTES)).position(at), sink);
        }
    }

    /** Score: ns per message holding a 64 KiB mixed-UTF-8 string, in one read. */
    @Benchmark
    public void largeString() throws ProtocolException {
        decoder.decode(largeString.clear(), sink);
    }

    /** Score: ns per message of ~8 KiB of escaped text, in one read. */
    @Benchmark
    public void manyEscapes() throws ProtocolException {
        decoder.decode(escapes.clear(), sink);
    }

    private void checkDecodes(ByteBuffer input) {
        long before = sink.messages;
        try {
            decoder.decode(input.clear(), sink);
        } catch (ProtocolException e) {
            throw new IllegalStateException("benchmark input did not decode: " + e.getMessage(), e);
        }
        if (sink.messages == before || decoder.hasPartialMessage()) {
            throw new IllegalStateException("benchmark input is not whole messages");
        }
    }

    private static ByteBuffer direct(byte[] bytes) {
        return ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String repeatTo(String piece, int bytes) {
        int each = utf8(piece).length;
        return piece.repeat(Math.max(1, bytes / each));
    }

    /** Hands every message to JMH so nothing is optimised away; an error would be a bug in the benchmark. */
    private static final class BlackholeSink implements MessageDecoder.Sink {
        private final Blackhole blackhole;
        long messages;

        BlackholeSink(Blackhole blackhole) {
            this.blackhole = blackhole;
        }

        @Override
        public void onMessage(Message message) {
            messages++;
            blackhole.consume(message);
        }

        @Override
        public void onError(ProtocolException error) {
            throw new IllegalStateException("benchmark input did not decode: " + error.getMessage());
        }
    }
}
