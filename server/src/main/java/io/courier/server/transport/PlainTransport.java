package io.courier.server.transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/** Plain TCP or a Unix domain socket: the socket's bytes are the application's, with nothing in between. */
public final class PlainTransport implements Transport {
    private final SocketChannel channel;

    public PlainTransport(SocketChannel channel) {
        this.channel = channel;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return channel.read(dst);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return channel.write(src);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        return channel.write(srcs, offset, length);
    }

    @Override
    public long write(ByteBuffer[] srcs) throws IOException {
        return channel.write(srcs);
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public void shutdownOutput() throws IOException {
        channel.shutdownOutput();
    }

    @Override
    public int discardInput(ByteBuffer scratch) throws IOException {
        scratch.clear();
        return channel.read(scratch);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
