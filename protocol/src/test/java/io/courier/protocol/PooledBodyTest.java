package io.courier.protocol;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static io.courier.protocol.Streams.frame;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Large binary-frame bodies received into a server's pooled buffers: the bytes are the ones sent however the stream
 * is cut, every buffer goes back to its pool exactly once, an echoed body goes out without a copy, and a handler
 * that keeps a request keeps readable bytes (or, after sending it as its own reply, gets a clear error, never
 * another message's bytes).
 */
class PooledBodyTest {
    private static final Limits LIMITS = new Limits(1 << 16, 1 << 20);
    private static final String HEADER = "{\"type\":\"echo\",\"id\":7}";

    /** A pool that counts what is out and refuses a buffer given back twice or never taken. */
    static final class CountingPool implements BufferPool {
        final Set<ByteBuffer> out = Collections.newSetFromMap(new IdentityHashMap<>());
        final List<ByteBuffer> free = new ArrayList<>();
        int taken;

        @Override
        public ByteBuffer take(int size) {
            ByteBuffer buffer = free.isEmpty() ? ByteBuffer.allocateDirect(LIMITS.maxHeaderBytes()) : free.remove(0);
            buffer.position(0).limit(0);
            out.add(buffer);
            taken++;
            return buffer;
        }

        @Override
        public void release(ByteBuffer buffer) {
            assertTrue(out.remove(buffer), "released once, and only a buffer of this pool");
            // Scribble over it: a message still reading it after the release would see this, not its bytes.
            buffer.clear();
            for (int i = 0; i < buffer.capacity(); i++) {
                buffer.put(i, (byte) 0x5a);
            }
            free.add(buffer);
        }

        @Override
        public int largest() {
            return LIMITS.maxHeaderBytes();
        }
    }

    /** A sink that keeps pooled bodies by reference, as a connection's write queue does. */
    static final class HoldingSink implements ByteSink {
        final MessageEncoder.ArraySink bytes = new MessageEncoder.ArraySink();
        final List<PooledBody> held = new ArrayList<>();

        @Override
        public void write(byte[] source, int offset, int length) {
            bytes.write(source, offset, length);
        }

        @Override
        public void writeBody(PooledBody body) {
            body.retain();
            held.add(body);
            ByteBuffer view = body.view();
            byte[] copy = new byte[view.remaining()];
            view.get(copy);
            bytes.write(copy, 0, copy.length);
        }

        void releaseAll() {
            held.forEach(PooledBody::release);
            held.clear();
        }
    }

    /** For input that holds no whole message and no error. */
    private static final MessageDecoder.Sink NOTHING_WHOLE = new MessageDecoder.Sink() {
        @Override
        public void onMessage(Message message) {
            throw new AssertionError(message);
        }

        @Override
        public void onError(ProtocolException error) {
            throw new AssertionError(error);
        }
    };

    private final CountingPool pool = new CountingPool();

    private List<Message> decode(List<byte[]> chunks) throws ProtocolException {
        return decode(Framing.BINARY.newDecoder(LIMITS, pool), chunks);
    }

    private static List<Message> decode(MessageDecoder decoder, List<byte[]> chunks) throws ProtocolException {
        List<Message> messages = new ArrayList<>();
        MessageDecoder.Sink sink = new MessageDecoder.Sink() {
            @Override
            public void onMessage(Message message) {
                messages.add(message);
            }

            @Override
            public void onError(ProtocolException error) {
                throw new AssertionError(error);
            }
        };
        for (byte[] chunk : chunks) {
            ByteBuffer in = ByteBuffer.allocateDirect(chunk.length);
            in.put(chunk).flip();
            decoder.decode(in, sink);
        }
        return messages;
    }

    private static byte[] body(int length, long seed) {
        return Streams.randomBytes(new Random(seed), length);
    }

    @Test
    void aLargeBodyArrivesInAPooledBufferAndItsFirstReadCopiesItAndGivesTheBufferBack() throws Exception {
        byte[] sent = body(16 * 1024, 1);
        Message message = decode(Streams.whole(frame(HEADER, sent))).get(0);
        assertEquals(1, pool.out.size(), "received into a pool's buffer");
        assertEquals(sent.length, message.bodyLength());

        byte[] read = message.body();
        assertArrayEquals(sent, read);
        assertTrue(pool.out.isEmpty(), "the buffer went back as soon as the bytes were copied on the loop");
        assertSame(read, message.body(), "the array is the message's from then on");
        message.releaseBody();
        assertTrue(pool.out.isEmpty());
    }

    @Test
    void bodiesSplitAtEveryAwkwardPlaceAreTheBytesSentAndEveryBufferComesBack() throws Exception {
        byte[] first = body(4097, 2);
        byte[] second = body(LIMITS.maxHeaderBytes(), 3);
        byte[] third = body(10_000, 4);
        byte[] stream = Streams.concat(frame(HEADER, first), frame(HEADER, second), frame(HEADER, third),
                frame(HEADER, body(4096, 5)));
        for (int cut = 1; cut < stream.length; cut += 997) {
            List<Message> messages = decode(Streams.splitAt(stream, cut));
            assertEquals(4, messages.size(), "cut at " + cut);
            for (Message message : messages) {
                message.releaseBody(); // the handler returned without reading: copied out, buffer back
            }
            assertTrue(pool.out.isEmpty(), "cut at " + cut + ": every buffer given back");
            assertArrayEquals(first, messages.get(0).body(), "cut at " + cut);
            assertArrayEquals(second, messages.get(1).body(), "cut at " + cut);
            assertArrayEquals(third, messages.get(2).body(), "cut at " + cut);
        }
        for (long seed = 1; seed <= 20; seed++) {
            List<Message> messages = decode(Streams.randomChunks(stream, new Random(seed), 30_000));
            messages.forEach(Message::releaseBody);
            assertTrue(pool.out.isEmpty(), "seed " + seed);
            assertArrayEquals(second, messages.get(1).body(), "seed " + seed);
        }
        assertTrue(pool.taken > 0, "some bodies were pooled");
    }

    @Test
    void smallBodiesBodiesOverThePoolsSizeAndBodiesMostlyStillToComeAreArrays() throws Exception {
        decode(Streams.whole(frame(HEADER, body(4096, 6))));
        decode(Streams.whole(frame(HEADER, body(LIMITS.maxHeaderBytes() + 1, 7))));
        assertEquals(0, pool.taken);

        // A peer that promises a 60,000-byte body and sends 100 bytes of it holds no pooled buffer for it.
        MessageDecoder decoder = Framing.BINARY.newDecoder(LIMITS, pool);
        byte[] promise = Arrays.copyOf(frame(HEADER, body(60_000, 8)), HEADER.length() + 8 + 100);
        decoder.decode(ByteBuffer.wrap(promise), NOTHING_WHOLE);
        assertEquals(0, pool.taken);
        assertTrue(decoder.bufferedBytes() < 1000, "held: " + decoder.bufferedBytes());
    }

    @Test
    void aDecoderClosedHalfWayThroughABodyGivesItsBufferBack() throws Exception {
        byte[] stream = frame(HEADER, body(20_000, 9));
        MessageDecoder decoder = Framing.BINARY.newDecoder(LIMITS, pool);
        decoder.decode(ByteBuffer.wrap(Arrays.copyOf(stream, stream.length - 100)), NOTHING_WHOLE);
        assertEquals(1, pool.out.size());
        assertTrue(decoder.bufferedBytes() >= 20_000, "the pooled body counts as buffered input");
        decoder.close();
        assertTrue(pool.out.isEmpty());
    }

    @Test
    void anEchoedBodyGoesOutFromItsBufferAndTheBufferComesBackWhenTheQueueLetsGo() throws Exception {
        byte[] sent = body(16 * 1024, 10);
        Message request = decode(Streams.whole(frame(HEADER, sent))).get(0);
        HoldingSink sink = new HoldingSink();
        Framing.BINARY.encoder().encode(request.asReply(), sink);
        assertEquals(1, sink.held.size(), "sent by reference, not copied");

        request.releaseBody(); // the handler returned
        assertEquals(1, pool.out.size(), "still the queue's");
        sink.releaseAll(); // written
        assertTrue(pool.out.isEmpty(), "the queue was the last holder");

        Message echoed = decode(new FrameDecoder(LIMITS), Streams.whole(sink.bytes.toArray())).get(0);
        assertTrue(echoed.isOk());
        assertEquals(7, echoed.id().asInt());
        assertArrayEquals(sent, echoed.body());

        IllegalStateException gone = assertThrows(IllegalStateException.class, request::body);
        assertTrue(gone.getMessage().contains("call body() before replying"), gone.getMessage());
    }

    @Test
    void aRequestKeptByItsHandlerKeepsItsBytesWhenItWasNotSentAsItsOwnReply() throws Exception {
        byte[] sent = body(30_000, 11);
        Message kept = decode(Streams.whole(frame(HEADER, sent))).get(0);
        Message replied = kept.asReply(); // made a reply, but never encoded: its body is still only the message's
        kept.releaseBody();
        assertTrue(pool.out.isEmpty());
        decode(Streams.whole(frame(HEADER, body(30_000, 12)))).get(0).releaseBody(); // the buffer is reused
        assertArrayEquals(sent, replied.body(), "copied out before the buffer went back");

        Message forwarded = decode(Streams.whole(frame(HEADER, sent))).get(0);
        HoldingSink sink = new HoldingSink();
        Framing.BINARY.encoder().encode(forwarded, sink); // sent on as it is (not its own reply)
        forwarded.releaseBody();
        sink.releaseAll();
        assertTrue(pool.out.isEmpty());
        assertArrayEquals(sent, forwarded.body());
    }

    @Test
    void otherThreadsReadTheBytesButOnlyThePoolsThreadCountsHolders() throws Exception {
        byte[] sent = body(16 * 1024, 13);
        Message message = decode(Streams.whole(frame(HEADER, sent))).get(0);
        PooledBody pooled = message.pooledBody();
        assertNotNull(pooled);

        byte[] readElsewhere = CompletableFuture.supplyAsync(message::body).get();
        assertArrayEquals(sent, readElsewhere);
        assertEquals(1, pool.out.size(), "another thread copies but never gives the loop's buffer back");
        assertNull(CompletableFuture.supplyAsync(message::pooledBody).get(), "nor lends it to an encoder");
        CompletableFuture.runAsync(message::releaseBody).get();
        assertEquals(1, pool.out.size(), "releaseBody off the loop does nothing");
        Throwable refused = assertThrows(java.util.concurrent.ExecutionException.class,
                () -> CompletableFuture.runAsync(pooled::retain).get()).getCause();
        assertTrue(refused instanceof IllegalStateException, String.valueOf(refused));

        message.releaseBody();
        assertTrue(pool.out.isEmpty());
        assertArrayEquals(sent, message.body());
    }

    @Test
    void aSinkThatCannotHoldReferencesGetsACopy() throws Exception {
        byte[] sent = body(16 * 1024, 14);
        Message request = decode(Streams.whole(frame(HEADER, sent))).get(0);
        ByteBuffer encoded = Framing.BINARY.encoder().encode(request);
        request.releaseBody();
        assertTrue(pool.out.isEmpty());
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        Message again = decode(new FrameDecoder(LIMITS), Streams.whole(bytes)).get(0);
        assertArrayEquals(sent, again.body());
    }
}
