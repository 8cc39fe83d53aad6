package io.courier.bench.wire;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The word-at-a-time search finds what a byte-by-byte search finds, from every start to every end. */
class InBytesTest {

    @Test
    void findsTheFirstByteAndPatternLikeAPlainLoop() {
        Random random = new Random(3);
        byte[] data = new byte[70];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) "\"ab:x\u0080\u00ff".charAt(random.nextInt(7));
        }
        InBytes in = new InBytes();
        in.append(ByteBuffer.wrap(data));
        byte[] pattern = {'"', 'a', 'b'};
        for (int from = 0; from <= data.length; from++) {
            for (int to = from; to <= data.length; to++) {
                for (byte b : new byte[] {'"', 'x', (byte) 0x80, (byte) 0xff, 'z'}) {
                    assertEquals(plain(data, new byte[] {b}, from, to), in.indexOf(b, from, to), from + ".." + to);
                }
                assertEquals(plain(data, pattern, from, to), in.indexOf(pattern, from, to), from + ".." + to);
            }
        }
    }

    private static int plain(byte[] data, byte[] pattern, int from, int to) {
        outer:
        for (int i = from; i + pattern.length <= to; i++) {
            for (int k = 0; k < pattern.length; k++) {
                if (data[i + k] != pattern[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
