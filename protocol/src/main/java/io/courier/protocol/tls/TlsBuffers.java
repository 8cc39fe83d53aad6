package io.courier.protocol.tls;

import java.nio.ByteBuffer;

/**
 * Scratch buffers one event loop lends to all the TLS connections it drives: ciphertext is read from a socket into
 * {@link #networkIn}, decrypted bytes land in {@link #plaintext}, records to send are built in {@link #network}.
 * Every use ends before the driver call returns (leftovers are copied into the connection's own, usually absent,
 * buffers), so ten thousand idle TLS connections hold no buffers at all. Loop-thread only. All three are heap
 * buffers: the JDK's engine works on arrays and is slower on direct ones.
 */
public final class TlsBuffers {
    /** Records built per socket write at most: a few, so one write carries many small replies. */
    private static final int RECORDS_PER_WRITE = 4;

    private static final int RECORD = 16 * 1024 + 1024;
    private static final int DEFAULT_READ = 64 * 1024;

    private ByteBuffer plaintext;
    private ByteBuffer network;
    private final ByteBuffer networkIn;

    /** Sized for the JDK's engine: 16 KiB records, a few of them per write, 64 KiB read from a socket at once. */
    public TlsBuffers() {
        this(DEFAULT_READ);
    }

    /** @param readBytes the most ciphertext read from a socket at once (the loop's read-buffer-bytes) */
    public TlsBuffers(int readBytes) {
        this(RECORD, RECORDS_PER_WRITE * RECORD, readBytes);
    }

    /** Explicit sizes; small ones make the drivers grow them (tests of the overflow path). */
    public TlsBuffers(int plaintextBytes, int networkBytes) {
        this(plaintextBytes, networkBytes, DEFAULT_READ);
    }

    private TlsBuffers(int plaintextBytes, int networkBytes, int readBytes) {
        this.plaintext = ByteBuffer.allocate(plaintextBytes);
        this.network = ByteBuffer.allocate(networkBytes);
        // On heap too, as Netty does for the JDK's engine: records decrypted in place from a direct buffer take the
        // JDK's GHASH path for buffers without an array (GHASH.processBlocksDirect, a copy and the block loop in
        // Java before the intrinsics apply; a third of the decrypt samples of tls-echo-100b). A heap buffer costs
        // the socket read one copy, out of the JDK's cached direct buffer.
        this.networkIn = ByteBuffer.allocate(readBytes);
    }

    /** Where a transport reads ciphertext from its socket, cleared. */
    public ByteBuffer networkIn() {
        networkIn.clear();
        return networkIn;
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

    /** The decrypt buffer's size now (it grows when a record does not fit). */
    public int plaintextCapacity() {
        return plaintext.capacity();
    }

    /** The encrypt buffer's size now. */
    public int networkCapacity() {
        return network.capacity();
    }
}
