package io.courier.loadtest;

import io.courier.protocol.tls.TlsEngineDriver;

import javax.net.ssl.SSLEngine;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;

/**
 * One load connection's TLS: the protocol module's {@link TlsEngineDriver} over its socket. Decrypted bytes go to
 * the connection's decoder ({@link Peer#plaintext}); the connection writes its requests through this channel of
 * application bytes. The engine's delegated tasks run on the client thread (it is the load, not the server), their
 * end posted back to it. Network bytes are counted here, both ways. Client-thread only.
 */
final class TlsLink implements TlsEngineDriver.Owner, WritableByteChannel {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    /** The connection: it decodes the decrypted bytes, and acts after each step of the TLS (null: no failure). */
    interface Peer {
        void plaintext(ByteBuffer bytes);

        void tlsProgress(IOException failure);
    }

    private final TlsEngineDriver driver;
    private final Peer peer;
    private boolean finished;
    private boolean finishedSeen;

    TlsLink(SSLEngine engine, SocketChannel channel, ClientThread thread, Peer peer) throws IOException {
        this.peer = peer;
        Counters counters = thread.counters();
        WritableByteChannel counted = new WritableByteChannel() {
            @Override
            public int write(ByteBuffer src) throws IOException {
                int n = channel.write(src);
                counters.add(Counter.BYTES_SENT, n);
                return n;
            }

            @Override
            public boolean isOpen() {
                return channel.isOpen();
            }

            @Override
            public void close() throws IOException {
                channel.close();
            }
        };
        this.driver = new TlsEngineDriver(engine, thread.tlsBuffers(), counted, Runnable::run, thread::post, this);
        driver.start();
    }

    /** Decrypts what was read from the socket, then tells the peer (an SSLException: the TLS is not acceptable). */
    void receive(ByteBuffer network) {
        try {
            driver.receive(network);
        } catch (IOException e) {
            peer.tlsProgress(e);
            return;
        }
        peer.tlsProgress(null);
    }

    /** True once, after the handshake has finished: the connection may start its traffic. */
    boolean takeHandshakeFinished() {
        if (finished && !finishedSeen) {
            finishedSeen = true;
            return true;
        }
        return false;
    }

    /** Writes records still waiting; true when none is left. */
    boolean flush() throws IOException {
        return driver.flush();
    }

    boolean hasPendingOutput() {
        return driver.hasPendingOutput();
    }

    /** Application bytes: encrypted and written as far as the socket takes them. */
    @Override
    public int write(ByteBuffer src) throws IOException {
        return (int) driver.write(new ByteBuffer[] {src}, 0, 1);
    }

    @Override
    public boolean isOpen() {
        return true;
    }

    @Override
    public void close() {
        driver.release();
    }

    @Override
    public void plaintext(ByteBuffer bytes) {
        peer.plaintext(bytes);
    }

    @Override
    public void handshakeFinished() {
        finished = true; // acted on after receive() returns: the driver must not be called back into from here
    }

    /** The delegated tasks are done (posted back to the client thread): carry the handshake on. */
    @Override
    public void resume() {
        try {
            driver.flush();
        } catch (IOException e) {
            peer.tlsProgress(e);
            return;
        }
        receive(EMPTY);
    }
}
