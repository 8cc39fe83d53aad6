package io.courier.loadtest;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutBufferTest {

    @Test
    void appendsGrowsAndKeepsOrder() {
        OutBuffer buffer = new OutBuffer();
        assertTrue(buffer.isEmpty());
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            byte[] chunk = ("chunk" + i + ";").getBytes(StandardCharsets.US_ASCII);
            buffer.write(chunk, 0, chunk.length);
            expected.append("chunk").append(i).append(';');
        }
        assertEquals(expected.length(), buffer.size());
        assertArrayEquals(expected.toString().getBytes(StandardCharsets.US_ASCII), buffer.toArray());
        buffer.clear();
        assertTrue(buffer.isEmpty());
    }

    @Test
    void writesOnlyTheRequestedSlice() {
        OutBuffer buffer = new OutBuffer();
        byte[] source = "xxHELLOxx".getBytes(StandardCharsets.US_ASCII);
        buffer.write(source, 2, 5);
        assertArrayEquals("HELLO".getBytes(StandardCharsets.US_ASCII), buffer.toArray());
    }

    @Test
    void partialWritesKeepTheRestInOrderWhileMoreIsAppended() throws IOException {
        Pipe pipe = Pipe.open();
        pipe.sink().configureBlocking(false);
        pipe.source().configureBlocking(false);
        SplittableRandom random = new SplittableRandom(1);
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        OutBuffer buffer = new OutBuffer();
        ByteBuffer chunk = ByteBuffer.allocate(8192);
        for (int round = 0; round < 200; round++) {
            byte[] bytes = new byte[random.nextInt(1, 20_000)];
            random.nextBytes(bytes);
            buffer.write(bytes, 0, bytes.length);
            sent.write(bytes);
            buffer.writeTo(pipe.sink());
            // The reader takes at most 8 KiB a round, less than the ~10 KiB appended: the pipe fills up and
            // writes become partial.
            int n = pipe.source().read(chunk.clear());
            if (n > 0) {
                received.write(chunk.array(), 0, n);
            }
        }
        assertTrue(buffer.size() > 0, "the writes were never partial");
        for (int turns = 0; !buffer.isEmpty() && turns < 10_000; turns++) {
            buffer.writeTo(pipe.sink());
            int n;
            while ((n = pipe.source().read(chunk.clear())) > 0) {
                received.write(chunk.array(), 0, n);
            }
        }
        assertTrue(buffer.isEmpty());
        assertArrayEquals(sent.toByteArray(), received.toByteArray());
        pipe.sink().close();
        pipe.source().close();
    }
}
