package io.courier.server.stream;

import io.courier.protocol.BufferPool;
import io.courier.protocol.Framing;
import io.courier.protocol.Limits;
import io.courier.protocol.Message;
import io.courier.protocol.MessageDecoder;
import io.courier.protocol.ProtocolException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The write queue hands the socket exactly the bytes appended, in order, whatever the socket takes per write:
 * copied small writes, shared large bodies, writes that take part of a buffer, and bytes taken back.
 */
class WriteQueueTest {
    private final ByteBuffer[] scratch = new ByteBuffer[64];

    /** Appends a random mix of frame lengths, small copies and shared bodies; returns what was appended, in order. */
    private static byte[] fill(WriteQueue queue, Random random, int pieces) {
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (int i = 0; i < pieces; i++) {
            if (random.nextInt(3) == 0) {
                int length = random.nextInt();
                queue.writeInt(length);
                expected.writeBytes(ByteBuffer.allocate(4).putInt(length).array());
                continue;
            }
            byte[] piece = new byte[random.nextBoolean() ? random.nextInt(200) : random.nextInt(70_000)];
            random.nextBytes(piece);
            if (piece.length > 4096 && random.nextBoolean()) {
                queue.writeShared(piece);
            } else {
                queue.write(piece, 0, piece.length);
            }
            expected.write(piece, 0, piece.length);
        }
        return expected.toByteArray();
    }

    @Test
    void aSocketThatTakesLittleAtATimeStillGetsEveryByteInOrder() throws IOException {
        for (long seed = 1; seed <= 20; seed++) {
            Random random = new Random(seed);
            WriteQueue queue = new WriteQueue();
            byte[] expected = fill(queue, random, 60);
            assertEquals(expected.length, queue.queuedBytes());

            Pipe pipe = Pipe.open();
            pipe.sink().configureBlocking(false);
            pipe.source().configureBlocking(false);
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            ByteBuffer readBuffer = ByteBuffer.allocate(random.nextInt(5000) + 1);
            for (int turn = 0; turn < 100_000 && !queue.isEmpty(); turn++) {
                queue.writeTo(pipe.sink(), scratch);
                drain(pipe, readBuffer, received); // a reader slower than the writer: partial writes happen
            }
            drain(pipe, ByteBuffer.allocate(1 << 16), received);
            assertTrue(queue.isEmpty(), "seed " + seed);
            assertEquals(0, queue.queuedBytes(), "seed " + seed);
            assertArrayEquals(expected, received.toByteArray(), "seed " + seed);
            assertTrue(Arrays.stream(scratch).allMatch(b -> b == null), "the shared scratch array is left clean");
            pipe.sink().close();
            pipe.source().close();
        }
    }

    @Test
    void bytesTakenBackNeverReachTheSocket() throws IOException {
        WriteQueue queue = new WriteQueue();
        byte[] kept = {1, 2, 3};
        queue.write(kept, 0, kept.length);
        long before = queue.queuedBytes();
        byte[] halfMessage = new byte[10_000];
        Arrays.fill(halfMessage, (byte) 9);
        queue.write(halfMessage, 0, 5000);
        queue.writeShared(halfMessage);
        queue.discardLast(queue.queuedBytes() - before);
        assertEquals(3, queue.queuedBytes());
        byte[] next = {4, 5};
        queue.write(next, 0, next.length);

        Pipe pipe = Pipe.open();
        queue.writeTo(pipe.sink(), scratch);
        ByteBuffer out = ByteBuffer.allocate(16);
        pipe.source().read(out);
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, Arrays.copyOf(out.array(), out.position()));
        assertTrue(queue.isEmpty());
    }

    @Test
    void chunksGoBackToThePoolWhetherWrittenDroppedOrTakenBack() throws IOException {
        ChunkPool pool = new ChunkPool();
        Pipe pipe = Pipe.open();
        pipe.sink().configureBlocking(false);
        pipe.source().configureBlocking(false);
        long afterFirstRound = -1;
        for (int round = 0; round < 50; round++) {
            Random random = new Random(round);
            WriteQueue queue = new WriteQueue(pool);
            byte[] expected = fill(queue, new Random(7), 20);
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            while (!queue.isEmpty()) {
                queue.writeTo(pipe.sink(), scratch);
                drain(pipe, ByteBuffer.allocate(1 << 16), received);
            }
            assertArrayEquals(expected, received.toByteArray());
            WriteQueue dropped = new WriteQueue(pool);
            fill(dropped, random, 5);
            dropped.clear();
            WriteQueue takenBack = new WriteQueue(pool);
            fill(takenBack, random, 5);
            takenBack.discardLast(takenBack.queuedBytes());
            if (round == 0) {
                afterFirstRound = pool.directBytes();
            }
        }
        assertTrue(afterFirstRound > 0, "chunks are direct");
        assertTrue(pool.directBytes() <= afterFirstRound + 3 * ChunkPool.MAX_CHUNK,
                "later rounds reuse the first round's chunks: " + pool.directBytes() + " vs " + afterFirstRound);
        pipe.sink().close();
        pipe.source().close();
    }

    @Test
    void pastItsDirectLimitThePoolHandsOutHeapChunks() {
        ChunkPool pool = new ChunkPool();
        List<ByteBuffer> held = new ArrayList<>();
        while (pool.directBytes() + ChunkPool.MAX_CHUNK <= ChunkPool.MAX_DIRECT_BYTES) {
            held.add(pool.take(ChunkPool.MAX_CHUNK));
        }
        ByteBuffer overLimit = pool.take(ChunkPool.MAX_CHUNK);
        assertTrue(!overLimit.isDirect() && overLimit.capacity() == ChunkPool.MAX_CHUNK);
        held.forEach(pool::release);
        pool.release(overLimit);
        assertTrue(pool.directBytes() <= ChunkPool.KEEP_BYTES_PER_SIZE, "only what a size may keep stays reserved");
        assertTrue(pool.take(ChunkPool.MAX_CHUNK).isDirect());
    }

    @Test
    void chunksDroppedPastTheBoundGiveTheirMemoryBackAtOnce() {
        ChunkPool pool = new ChunkPool();
        List<ByteBuffer> held = new ArrayList<>();
        for (long taken = 0; taken < 32L * 1024 * 1024; taken += ChunkPool.MAX_CHUNK) {
            held.add(pool.take(ChunkPool.MAX_CHUNK));
        }
        assertTrue(held.stream().allMatch(ByteBuffer::isDirect), "under the pool's bound every chunk is direct");
        long whileHeld = jvmDirectMemory();
        held.forEach(pool::release);
        long afterRelease = jvmDirectMemory();
        // Still referenced here, so no GC could have freed them: only an explicit free explains the drop. Before it,
        // dropped chunks waited for a full GC, which came as System.gc() once the JVM's direct limit was reached.
        assertTrue(whileHeld - afterRelease >= 32L * 1024 * 1024 - ChunkPool.KEEP_BYTES_PER_SIZE,
                "released past the bound, freed at once: " + (whileHeld - afterRelease) + " bytes");
        Reference.reachabilityFence(held);
        assertEquals(ChunkPool.KEEP_BYTES_PER_SIZE, pool.directBytes());
        assertTrue(pool.take(ChunkPool.MAX_CHUNK).isDirect(), "what a size keeps is reused");
    }

    private static long jvmDirectMemory() {
        return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)
                .stream().filter(pool -> pool.getName().equals("direct")).findFirst().orElseThrow().getMemoryUsed();
    }

    /** The loop's chunk pool as the decoder sees it, counting the body chunks out. */
    private static final class CountedBodies implements BufferPool {
        final ChunkPool chunks = new ChunkPool();
        final Set<ByteBuffer> out = Collections.newSetFromMap(new IdentityHashMap<>());

        @Override
        public ByteBuffer take(int size) {
            ByteBuffer chunk = chunks.take(size);
            out.add(chunk);
            return chunk;
        }

        @Override
        public void release(ByteBuffer buffer) {
            assertTrue(out.remove(buffer), "a body chunk comes back once");
            chunks.release(buffer);
        }

        @Override
        public int largest() {
            return chunks.largest();
        }
    }

    /** Echo requests with large bodies, decoded into the pool's chunks as a server does. */
    private static List<Message> requests(BufferPool bodies, int... bodyLengths) throws ProtocolException {
        List<Message> messages = new ArrayList<>();
        MessageDecoder decoder = Framing.BINARY.newDecoder(Limits.DEFAULTS, bodies);
        for (int i = 0; i < bodyLengths.length; i++) {
            byte[] header = ("{\"type\":\"echo\",\"id\":" + i + "}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
            byte[] body = new byte[bodyLengths[i]];
            new Random(i).nextBytes(body);
            ByteBuffer frame = ByteBuffer.allocateDirect(8 + header.length + body.length);
            frame.putInt(header.length).putInt(body.length).put(header).put(body).flip();
            decoder.decode(frame, new MessageDecoder.Sink() {
                @Override
                public void onMessage(Message message) {
                    messages.add(message.asReply());
                }

                @Override
                public void onError(ProtocolException error) {
                    throw new AssertionError(error);
                }
            });
        }
        return messages;
    }

    @Test
    void echoedPooledBodiesAreWrittenFromTheirChunksAndGivenBackOnceWrittenDroppedOrTakenBack() throws Exception {
        CountedBodies bodies = new CountedBodies();
        List<Message> echoes = requests(bodies, 16 * 1024, 5000, 60_000, 4097);
        assertEquals(4, bodies.out.size(), "every body arrived in a chunk");
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        WriteQueue queue = new WriteQueue(bodies.chunks);
        for (Message echo : echoes) {
            ByteBuffer alone = Framing.BINARY.encoder().encode(echo); // the same bytes, copied: what must arrive
            expected.write(alone.array(), 0, alone.limit());
            Framing.BINARY.encoder().encode(echo, queue);
            queue.write(new byte[] {42}, 0, 1); // a small write right behind each body
            expected.write(42);
            echo.releaseBody(); // the handler returned: the queue is now the body's only holder
        }
        assertEquals(4, bodies.out.size(), "queued bodies are held until written");

        Pipe pipe = Pipe.open();
        pipe.sink().configureBlocking(false);
        pipe.source().configureBlocking(false);
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        for (int turn = 0; turn < 100_000 && !queue.isEmpty(); turn++) {
            queue.writeTo(pipe.sink(), scratch);
            drain(pipe, ByteBuffer.allocate(3000), received); // partial writes, a body cut anywhere
        }
        drain(pipe, ByteBuffer.allocate(1 << 16), received);
        assertArrayEquals(expected.toByteArray(), received.toByteArray());
        assertTrue(bodies.out.isEmpty(), "written bodies went back to the pool");

        WriteQueue dropped = new WriteQueue(bodies.chunks);
        for (Message echo : requests(bodies, 20_000, 30_000)) {
            Framing.BINARY.encoder().encode(echo, dropped);
            echo.releaseBody();
        }
        dropped.clear();
        assertTrue(bodies.out.isEmpty(), "a dropped queue gives its bodies back");

        WriteQueue takenBack = new WriteQueue(bodies.chunks);
        takenBack.write(new byte[] {1}, 0, 1);
        Message echo = requests(bodies, 9000).get(0);
        Framing.BINARY.encoder().encode(echo, takenBack);
        takenBack.discardLast(takenBack.queuedBytes() - 1);
        echo.releaseBody();
        assertTrue(bodies.out.isEmpty(), "a body taken back is given back");
        assertEquals(1, takenBack.queuedBytes());
        pipe.sink().close();
        pipe.source().close();
    }

    private static void drain(Pipe pipe, ByteBuffer buffer, ByteArrayOutputStream received) throws IOException {
        int n;
        while ((n = pipe.source().read(buffer.clear())) > 0) {
            received.write(buffer.array(), 0, n);
            if (buffer.capacity() < 1 << 16) {
                return; // the slow reader takes one bufferful per turn
            }
        }
    }
}
