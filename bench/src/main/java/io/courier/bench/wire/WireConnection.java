package io.courier.bench.wire;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/** One client connection: its socket, its codec (with the partial input it holds) and its unsent bytes. */
final class WireConnection implements WireEvents {
    final int index;
    final SocketChannel channel;
    final WireCodec codec;
    final OutBytes out = new OutBytes();
    SelectionKey key;
    boolean open = true;
    private final Traffic traffic;

    WireConnection(int index, SocketChannel channel, WireCodec codec, Traffic traffic) {
        this.index = index;
        this.channel = channel;
        this.codec = codec;
        this.traffic = traffic;
    }

    /** Hands what arrived to the codec, which reports it back here. */
    void received(ByteBuffer in) throws IOException {
        codec.read(in, this);
    }

    @Override
    public void pong() {
        traffic.onPong(this);
    }

    @Override
    public void data(byte[] bytes, int offset, int length) {
        traffic.onData(this, bytes, offset, length);
    }

    @Override
    public void ack() {
        traffic.onAck(this);
    }

    @Override
    public void error(String what) {
        traffic.onError(this, what);
    }

    @Override
    public void serverPing() {
        codec.pongToServer(out);
    }

    @Override
    public String toString() {
        return "connection " + index;
    }
}
