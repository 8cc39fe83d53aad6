package io.courier.server.tls;

import io.courier.protocol.tls.TlsBuffers;
import io.courier.protocol.tls.TlsEngineDriver;
import io.courier.server.metrics.ServerStats;
import io.courier.server.transport.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * TLS between a connection's socket and its framing: reads decrypt, writes encrypt, through a
 * {@link TlsEngineDriver}. The framing above sees application bytes only, the same binary frames or JSON text as on
 * plain TCP. Loop thread only, except {@link #peerIdentity}, which handlers may ask from any thread.
 *
 * <p>Decrypted bytes go straight into the buffer the connection reads into; what does not fit (a record completed
 * by a small read) is kept and returned by the next read ({@link #hasBufferedInput}). Until the handshake is done no
 * application byte is written ({@link #acceptsOutput}), and the frame timeout covers the handshake
 * ({@link #hasPartialInput}). A TLS failure is thrown as the engine's {@link SSLException}, after the engine's alert
 * has been sent, and counted once in the stats.
 */
final class TlsTransport implements Transport, TlsEngineDriver.Owner {
    private static final Logger log = LoggerFactory.getLogger(TlsTransport.class);
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final SocketChannel channel;
    private final TlsBuffers buffers;
    private final ServerStats stats;
    private final Resume resume;
    private final TlsEngineDriver driver;
    /** Where decrypted bytes go during a read, else null. */
    private ByteBuffer readInto;
    /** Decrypted bytes the last read had no room for (readable), or null. */
    private ByteBuffer overflow;
    /** Delegated tasks finished: the next read carries the handshake on, even if the socket has nothing new. */
    private boolean resumed;
    private boolean endOfStream;
    /** The peer has sent something: a handshake that never completes is then a failed one. */
    private boolean started;
    /** The handshake's outcome is in the stats already. */
    private boolean counted;
    private boolean closed;
    private volatile String identity;

    TlsTransport(SocketChannel channel, TlsContext context, TlsBuffers buffers, java.util.concurrent.Executor workers,
                 java.util.concurrent.Executor loop, ServerStats stats, Resume resume) throws SSLException {
        this.channel = channel;
        this.buffers = buffers;
        this.stats = stats;
        this.resume = resume;
        this.driver = new TlsEngineDriver(context.newEngine(), buffers, channel, workers, loop, this);
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        int start = dst.position();
        readInto = dst;
        try {
            if (overflow != null) {
                takeOverflow(dst);
            }
            if (resumed) {
                resumed = false;
                driver.receive(EMPTY);
            }
            if (dst.hasRemaining() && driver.wantsInput() && !endOfStream) {
                // No more ciphertext than dst holds: plaintext is never longer, so little ever overflows.
                ByteBuffer network = buffers.networkIn();
                network.limit(Math.min(network.capacity(), Math.min(dst.remaining(), driver.receiveLimit())));
                int n = channel.read(network);
                if (n < 0) {
                    endOfStream = true;
                } else if (n > 0) {
                    started = true;
                    network.flip();
                    driver.receive(network);
                }
            }
        } catch (SSLException e) {
            failed(e);
            throw e;
        } finally {
            readInto = null;
        }
        int read = dst.position() - start;
        if (read > 0) {
            return read;
        }
        return endOfStream || driver.isInboundDone() ? -1 : 0;
    }

    private void takeOverflow(ByteBuffer dst) {
        int n = Math.min(dst.remaining(), overflow.remaining());
        ByteBuffer slice = overflow.slice();
        slice.limit(n);
        dst.put(slice);
        overflow.position(overflow.position() + n);
        if (!overflow.hasRemaining()) {
            overflow = null;
        }
    }

    /** Counts the failed handshake and sends the engine's alert, so the client learns why. */
    private void failed(SSLException e) {
        if (!driver.isHandshakeDone() && !counted) {
            counted = true;
            stats.tlsHandshakeFailure();
        }
        log.debug("TLS failure from {}: {}", remote(), e.toString());
        try {
            driver.closeOutbound();
            driver.flush();
        } catch (IOException ignored) {
            // the alert is a courtesy; the connection is closed either way
        }
    }

    @Override
    public void plaintext(ByteBuffer bytes) {
        if (readInto != null && readInto.hasRemaining()) {
            int n = Math.min(readInto.remaining(), bytes.remaining());
            ByteBuffer slice = bytes.slice();
            slice.limit(n);
            readInto.put(slice);
            bytes.position(bytes.position() + n);
        }
        if (bytes.hasRemaining()) {
            overflow = append(overflow, bytes);
        }
    }

    private static ByteBuffer append(ByteBuffer held, ByteBuffer more) {
        ByteBuffer joined = ByteBuffer.allocate((held == null ? 0 : held.remaining()) + more.remaining());
        if (held != null) {
            joined.put(held);
        }
        return joined.put(more).flip();
    }

    @Override
    public void handshakeFinished() {
        identity = ClientIdentity.commonName(driver.session());
        if (!counted) {
            counted = true;
            stats.tlsHandshake();
        }
        if (log.isDebugEnabled()) {
            SSLSession session = driver.session();
            log.debug("TLS from {}: {} {}{}", remote(), session.getProtocol(), session.getCipherSuite(),
                    identity == null ? "" : ", client certificate CN " + identity);
        }
    }

    @Override
    public void resume() {
        resumed = true;
        resume.resume();
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return (int) write(new ByteBuffer[] {src}, 0, 1);
    }

    @Override
    public long write(ByteBuffer[] srcs) throws IOException {
        return write(srcs, 0, srcs.length);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        return driver.write(srcs, offset, length);
    }

    @Override
    public boolean hasPendingOutput() {
        return driver.hasPendingOutput();
    }

    @Override
    public void flushPendingOutput() throws IOException {
        driver.flush();
    }

    @Override
    public boolean acceptsOutput() {
        return driver.isHandshakeDone() && !driver.isOutboundDone();
    }

    @Override
    public boolean hasBufferedInput() {
        return overflow != null || resumed;
    }

    @Override
    public boolean hasPartialInput() {
        return !driver.isHandshakeDone() || driver.holdsPartialRecord();
    }

    /** close_notify, then FIN (if the socket took the close_notify; otherwise the lingering timeout closes). */
    @Override
    public void shutdownOutput() throws IOException {
        driver.closeOutbound();
        if (driver.flush()) {
            channel.shutdownOutput();
        }
    }

    @Override
    public int discardInput(ByteBuffer scratch) throws IOException {
        scratch.clear();
        return channel.read(scratch); // after close_notify nothing the peer sends matters, encrypted or not
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (started && !counted) {
            counted = true; // the peer began a handshake and it never finished: timed out, or gone
            stats.tlsHandshakeFailure();
        }
        if (driver.isHandshakeDone() && !driver.hasPendingOutput()) {
            try {
                driver.closeOutbound(); // a courtesy close_notify, if the socket takes it now
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        driver.release();
        overflow = null;
        channel.close();
    }

    @Override
    public String peerIdentity() {
        return identity;
    }

    private Object remote() {
        try {
            return channel.getRemoteAddress();
        } catch (IOException e) {
            return "a closed socket";
        }
    }
}
