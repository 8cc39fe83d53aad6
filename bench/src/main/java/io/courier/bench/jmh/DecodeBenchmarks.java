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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * Decoding cost per message, binary frames against JSON text: a buffer holding {@value BenchmarkMessages#SMALL_MESSAGES}
 * small echo requests (~100-byte headers, as one read of a pipelining client delivers them), and one request with a
 * 64 KiB body. The decoder is reused across invocations, as a connection's decoder is; every buffer holds whole
 * messages only, so no state carries over.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class DecodeBenchmarks {
    @Param({"BINARY", "JSON_TEXT"})
    public Framing framing;

    private byte[] small;
    private byte[] large;
    private MessageDecoder decoder;

    @Setup
    public void setUp() {
        small = BenchmarkMessages.encodedSmall(framing, BenchmarkMessages.SMALL_MESSAGES);
        large = BenchmarkMessages.encodedLarge(framing);
        decoder = framing.newDecoder(Limits.DEFAULTS);
    }

    /** Score: small messages decoded per microsecond. */
    @Benchmark
    @OperationsPerInvocation(BenchmarkMessages.SMALL_MESSAGES)
    public void smallMessages(Blackhole blackhole) throws ProtocolException {
        decoder.decode(ByteBuffer.wrap(small), new BlackholeSink(blackhole));
    }

    /** Score: 64 KiB-body messages decoded per microsecond. */
    @Benchmark
    public void largeBody(Blackhole blackhole) throws ProtocolException {
        decoder.decode(ByteBuffer.wrap(large), new BlackholeSink(blackhole));
    }

    /** Hands every message to JMH so nothing is optimised away; an error would be a bug in the benchmark. */
    private static final class BlackholeSink implements MessageDecoder.Sink {
        private final Blackhole blackhole;

        BlackholeSink(Blackhole blackhole) {
            this.blackhole = blackhole;
        }

        @Override
        public void onMessage(Message message) {
            blackhole.consume(message);
        }

        @Override
        public void onError(ProtocolException error) {
            throw new IllegalStateException("benchmark input did not decode: " + error.getMessage());
        }
    }
}
