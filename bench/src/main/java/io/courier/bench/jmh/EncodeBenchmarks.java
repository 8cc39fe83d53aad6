package io.courier.bench.jmh;

import io.courier.protocol.Framing;
import io.courier.protocol.HeaderWriter;
import io.courier.protocol.Message;
import io.courier.protocol.MessageEncoder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.TimeUnit;

/**
 * Encoding replies into a reused sink (as the server encodes into a connection's write queue), binary frames
 * against JSON text: an echo reply with a ~100-byte header and no body, and one with a 16 KiB body (which the
 * binary encoder shares by reference and the text encoder base64-encodes); and a built-in reply made from nothing,
 * as {@code ping}'s is on the loop: written by {@link HeaderWriter} with the clock, then encoded.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class EncodeBenchmarks {
    private static final int BODY_BYTES = 16 * 1024;

    @Param({"BINARY", "JSON_TEXT"})
    public Framing framing;

    private MessageEncoder encoder;
    private Message smallReply;
    private Message bodyReply;
    private final Message pingRequest = Message.of("ping").with("id", 7);
    private final ReusableSink sink = new ReusableSink();

    @Setup
    public void setUp() {
        encoder = framing.encoder();
        smallReply = BenchmarkMessages.echo(7, BenchmarkMessages.SMALL_HEADER_BYTES, new byte[0]).with("ok", true);
        bodyReply = BenchmarkMessages.echo(8, BenchmarkMessages.SMALL_HEADER_BYTES, BenchmarkMessages.body(BODY_BYTES))
                .with("ok", true);
    }

    /** Score: small replies encoded per microsecond. */
    @Benchmark
    public long smallReply(Blackhole blackhole) {
        sink.clear();
        encoder.encode(smallReply, sink);
        return sink.length();
    }

    /** Score: 16 KiB-body replies encoded per microsecond. */
    @Benchmark
    public long bodyReply(Blackhole blackhole) {
        sink.clear();
        encoder.encode(bodyReply, sink);
        blackhole.consume(sink.lastShared());
        return sink.length();
    }

    /** Score: ping replies written (type, id, ok and the clock's 13 digits) and encoded per microsecond. */
    @Benchmark
    public long pingReply() {
        sink.clear();
        encoder.encode(HeaderWriter.replyTo(pingRequest).field("time", System.currentTimeMillis()).message(), sink);
        return sink.length();
    }
}
