package io.courier.bench.wire;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** Feeds one byte stream to a fresh codec in every awkward way: whole, byte by byte, and cut at every point. */
final class Splits {
    private Splits() {
    }

    /** The events of each way of feeding {@code stream}; each must equal the others. */
    static List<List<String>> everyWay(Supplier<WireCodec> codecs, byte[] stream) throws IOException {
        List<List<String>> all = new ArrayList<>();
        all.add(feed(codecs.get(), stream, stream.length));
        all.add(feed(codecs.get(), stream, 1));
        for (int cut = 1; cut < stream.length; cut++) {
            Recorded recorded = new Recorded();
            WireCodec codec = codecs.get();
            codec.read(ByteBuffer.wrap(stream, 0, cut), recorded);
            codec.read(ByteBuffer.wrap(stream, cut, stream.length - cut), recorded);
            all.add(recorded.events);
        }
        for (int chunk = 2; chunk < 8; chunk++) {
            all.add(feed(codecs.get(), stream, chunk));
        }
        return all;
    }

    private static List<String> feed(WireCodec codec, byte[] stream, int chunk) throws IOException {
        Recorded recorded = new Recorded();
        for (int at = 0; at < stream.length; at += chunk) {
            codec.read(ByteBuffer.wrap(stream, at, Math.min(chunk, stream.length - at)), recorded);
        }
        return recorded.events;
    }
}
