package io.courier.loadtest;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * The socket under one {@link LoadConnection}: the non-blocking connect (from a chosen source address), with
 * --tls the {@link TlsLink} over it, and the reads, writes and write interest. Its own class so the connection is
 * left with what the bytes mean (requests, replies, counters, its state); nothing here counts a failure or decides
 * what it means, except the plain socket's bytes sent (TLS counts the records it writes). Client-thread only.
 */
final class LoadSocket {
    private final ClientThread thread;
    private SocketChannel channel;
    private SelectionKey key;
    /** With --tls: the TLS between the socket and the decoder, from the end of the TCP connect on. */
    private TlsLink tls;
    private boolean writeInterest;

    LoadSocket(ClientThread thread) {
        this.thread = thread;
    }

    /** A new, unconnected socket; on failure there is nothing to close. */
    void open() throws IOException {
        channel = SocketChannel.open();
    }

    /**
     * Starts the connect, from {@code source} when given, and registers the socket with the thread's selector for
     * {@code attachment}: for reading when the connect completed at once (true), else for OP_CONNECT (false).
     */
    boolean connect(InetSocketAddress target, InetAddress source, LoadConnection attachment) throws IOException {
        channel.configureBlocking(false);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        if (source != null) {
            channel.bind(new InetSocketAddress(source, 0));
        }
        if (channel.connect(target)) {
            key = channel.register(thread.selector(), SelectionKey.OP_READ, attachment);
            return true;
        }
        key = channel.register(thread.selector(), SelectionKey.OP_CONNECT, attachment);
        return false;
    }

    /** After OP_CONNECT: true once TCP is up. */
    boolean finishConnect() throws IOException {
        return channel.finishConnect();
    }

    /** TCP is up: wait for reads, no longer for OP_CONNECT. */
    void readOnly() {
        key.interestOps(SelectionKey.OP_READ);
    }

    /** TCP is up and the run uses --tls: the handshake starts (the client's hello goes out now). */
    void startTls(InetSocketAddress target, TlsLink.Peer peer) throws IOException {
        readOnly();
        tls = new TlsLink(thread.tls().engine(target.getHostString(), target.getPort()), channel, thread, peer);
        setWriteInterest(tls.hasPendingOutput());
    }

    boolean isTls() {
        return tls != null;
    }

    /** True once, after the TLS handshake has finished. */
    boolean takeHandshakeFinished() {
        return tls.takeHandshakeFinished();
    }

    /** Network bytes, as {@link SocketChannel#read} counts them (-1: the server closed its side). */
    int read(ByteBuffer buffer) throws IOException {
        return channel.read(buffer);
    }

    /** With --tls: decrypts network bytes just read; TLS reports to its peer. */
    void receiveTls(ByteBuffer network) {
        tls.receive(network);
    }

    /** OP_WRITE is on: the socket was full when last written. */
    boolean writeInterest() {
        return writeInterest;
    }

    /**
     * Writes TLS records still waiting, then {@code out}, as far as the socket takes them; OP_WRITE stays on while
     * anything is left.
     *
     * @return true when nothing is left waiting
     */
    boolean write(OutBuffer out) throws IOException {
        if (tls != null && !tls.flush()) {
            setWriteInterest(true); // records of the handshake or earlier requests wait for the socket
            return false;
        }
        while (!out.isEmpty()) {
            int written = out.writeTo(tls != null ? tls : channel);
            if (written == 0) {
                setWriteInterest(true);
                return false;
            }
            if (tls == null) {
                thread.counters().add(Counter.BYTES_SENT, written); // TLS counts the records it writes
            }
        }
        boolean waiting = tls != null && tls.hasPendingOutput();
        setWriteInterest(waiting);
        return !waiting;
    }

    /** Drops the TLS state, deregisters and closes the socket. */
    void close() {
        if (tls != null) {
            tls.close();
        }
        if (key != null) {
            key.cancel();
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing a socket we are done with: nothing to do about a failure
        }
    }

    private void setWriteInterest(boolean on) {
        if (on != writeInterest && key != null && key.isValid()) {
            key.interestOps(on ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
            writeInterest = on;
        }
    }
}
