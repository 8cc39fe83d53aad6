package io.courier.server.tls;

import java.nio.ByteBuffer;

/**
 * Scratch buffers one event loop lends to all the TLS connections it drives: decrypted bytes land in
 * {@link #plaintext}, records to send are built in {@link #network}. Every use ends before the driver call returns
 * (leftovers are copied into the connection's own, usually absent, buffers), so ten thousand idle TLS connections
 * hold no buffers at all. Loop-thread only. Heap buffers: the JDK's engine works on arrays and would copy out of
 * direct ones.
 */
public final class TlsBuffers {
    /** Records built per socket write at most: a few, so one write carries many small replies. */
    private static final int RECORDS_PER_WRITE = 4;

    private ByteBuffer plaintext;
    private ByteBuffer network;

    /** Sized for the JDK's engine: 16 KiB records, a few of them per write. */
    public TlsBuffers() {
        this(16 * 1024 + 1024, RECORDS_PER_WRITE * (16 * 1024 + 1024));
    }

    /** Explicit sizes; small ones make the drivers grow them (tests of the overflow path). */
    public TlsBuffers(int plaintextBytes, int networkBytes) {
        this.plaintext = ByteBuffer.allocate(plaintextBytes);
        this.network = ByteBuffer.allocate(networkBytes);
    }

    /** The decrypt buffer, cleared. Too small for a record, the engine says BUFFER_OVERFLOW: then grow it. */
    ByteBuffer plaintext() {
        plaintext.clear();
        return plaintext;
    }

    /** The encrypt buffer, cleared. */
    ByteBuffer network() {
        network.clear();
        return network;
    }

    /** The decrypt buffer was too small for one record although empty: a bigger one, cleared. */
    ByteBuffer growPlaintext(int atLeast) {
        plaintext = ByteBuffer.allocate(Math.max(atLeast, plaintext.capacity() * 2));
        return plaintext;
    }

    ByteBuffer growNetwork(int atLeast) {
        network = ByteBuffer.allocate(Math.max(atLeast, network.capacity() * 2));
        return network;
    }

    int plaintextCapacity() {
        return plaintext.capacity();
    }

    int networkCapacity() {
        return network.capacity();
    }
}
