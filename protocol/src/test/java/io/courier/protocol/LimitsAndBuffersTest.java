package io.courier.protocol;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Limits refuse impossible values; GrowableBytes grows only with the bytes that arrive. */
class LimitsAndBuffersTest {

    @Test
    void defaultsAreOneMebibyteHeadersAndSixteenMebibyteBodies() {
        assertEquals(1 << 20, Limits.DEFAULTS.maxHeaderBytes());
        assertEquals(16 << 20, Limits.DEFAULTS.maxBodyBytes());
        assertEquals((1 << 24) - 1, Limits.ABSOLUTE_MAX_HEADER_BYTES);
    }

    @Test
    void headerLimitOutsideTwoToSixteenMebibytesMinusOneIsRefusedWithTheValue() {
        IllegalArgumentException tooSmall = assertThrows(IllegalArgumentException.class, () -> new Limits(1, 0));
        assertTrue(tooSmall.getMessage().contains("got 1"), tooSmall.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Limits(1 << 24, 0));
        assertThrows(IllegalArgumentException.class, () -> new Limits(-5, 0));
        int largest = Limits.ABSOLUTE_MAX_HEADER_BYTES;
        assertEquals(largest, new Limits(largest, 0).maxHeaderBytes());
        assertEquals(2, new Limits(2, 0).maxHeaderBytes());
    }

    @Test
    void negativeBodyLimitIsRefusedAndZeroAllowsOnlyEmptyBodies() {
        assertThrows(IllegalArgumentException.class, () -> new Limits(64, -1));
        Streams.Recorder recorder = new Streams.Recorder();
        Streams.feed(new FrameDecoder(new Limits(64, 0)), Streams.whole(Streams.concat(
                Streams.frame("{\"type\":\"a\"}"), Streams.frame("{\"type\":\"b\"}", new byte[1]))), recorder);
        assertEquals(1, recorder.messages.size());
        assertEquals(ErrorCode.TOO_LARGE, recorder.errors.get(0).code());
    }

    @Test
    void growableBytesStartsSmallAndDoublesCappedAtItsTarget() {
        GrowableBytes bytes = new GrowableBytes(10_000);
        assertEquals(0, bytes.capacity(), "nothing allocated before the first byte");
        assertFalse(bytes.fill(ByteBuffer.wrap(new byte[10])));
        assertEquals(256, bytes.capacity());
        assertFalse(bytes.fill(ByteBuffer.wrap(new byte[300])));
        assertEquals(512, bytes.capacity());
        assertFalse(bytes.fill(ByteBuffer.wrap(new byte[5000])));
        assertEquals(5310, bytes.capacity(), "grown to what arrived when that is more than double");
        assertTrue(bytes.fill(ByteBuffer.wrap(new byte[9000])));
        assertEquals(10_000, bytes.capacity(), "capped at the target");
        assertEquals(10_000, bytes.filled());
    }

    @Test
    void growableBytesTakesOnlyWhatIsMissingAndLeavesTheRest() {
        GrowableBytes bytes = new GrowableBytes(4);
        ByteBuffer in = ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5, 6});
        assertTrue(bytes.fill(in));
        assertEquals(4, in.position(), "the bytes of the next message stay in the buffer");
        assertArrayEquals(new byte[] {1, 2, 3, 4}, bytes.finish());
    }

    @Test
    void growableBytesFinishesWithAnArrayOfExactlyTheTargetLengthInAnyChunking() {
        for (long seed = 1; seed <= 200; seed++) {
            Random random = new Random(seed);
            int target = random.nextInt(5000);
            byte[] data = Streams.randomBytes(random, target + 10);
            GrowableBytes bytes = new GrowableBytes(target);
            ByteBuffer in = ByteBuffer.wrap(data);
            boolean done = target == 0 && bytes.fill(in);
            while (!done) {
                int size = Math.min(in.remaining(), random.nextInt(700));
                ByteBuffer chunk = in.slice().limit(size);
                done = bytes.fill(chunk);
                in.position(in.position() + chunk.position());
                assertTrue(bytes.capacity() <= Math.max(256, 2 * bytes.filled()) || bytes.capacity() == target,
                        "seed " + seed + " capacity " + bytes.capacity() + " for " + bytes.filled());
            }
            byte[] finished = bytes.finish();
            assertEquals(target, finished.length, "seed " + seed);
            assertArrayEquals(java.util.Arrays.copyOf(data, target), finished, "seed " + seed);
        }
    }

    @Test
    void zeroLengthTargetIsCompleteAtOnce() {
        GrowableBytes bytes = new GrowableBytes(0);
        assertTrue(bytes.fill(ByteBuffer.allocate(0)));
        assertEquals(0, bytes.finish().length);
    }
}
