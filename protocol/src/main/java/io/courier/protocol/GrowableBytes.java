package io.courier.protocol;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Accumulates exactly {@code target} bytes, growing its array only as bytes really arrive (doubling, capped at the
 * target), so a peer that promises 16 MiB and sends 10 bytes costs 10 bytes, not 16 MiB.
 */
final class GrowableBytes {
    private static final int MIN_CAPACITY = 256;

    private final int target;
    private byte[] bytes;
    private int filled;

    GrowableBytes(int target) {
        this.target = target;
    }

    /** Copies as many bytes as are still missing from {@code in}; returns true when all {@code target} are here. */
    boolean fill(ByteBuffer in) {
        int take = Math.min(in.remaining(), target - filled);
        ensureCapacity(filled + take);
        in.get(bytes, filled, take);
        filled += take;
        return filled == target;
    }

    private void ensureCapacity(int needed) {
        if (bytes == null) {
            bytes = new byte[Math.min(target, Math.max(needed, MIN_CAPACITY))];
        } else if (needed > bytes.length) {
            int grown = (int) Math.min(target, Math.max((long) bytes.length * 2, needed));
            bytes = Arrays.copyOf(bytes, grown);
        }
    }

    /** The completed array, exactly {@code target} long: growth is capped at the target, so no final copy. */
    byte[] finish() {
        return bytes == null ? new byte[0] : bytes;
    }

    int filled() {
        return filled;
    }

    int capacity() {
        return bytes == null ? 0 : bytes.length;
    }
}
