package io.courier.bench.peer;

import io.courier.protocol.Limits;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.ResourceLeakDetector;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The Netty baseline: Netty 4.2, NIO transport, ONE event-loop thread that accepts and serves every connection (the
 * same resources as Courier's one selector thread), pooled buffers, TCP_NODELAY, replies flushed once per read batch.
 * Write watermarks match Courier's defaults (256 KiB low, 1 MiB high) so both apply backpressure alike.
 *
 * <p>{@code java -cp bench/target/bench.jar io.courier.bench.peer.NettyPeerServer --port 0 [--port-file FILE]}
 */
public final class NettyPeerServer implements PeerServer {
    private static final int LOW_WATERMARK = 256 * 1024;
    private static final int HIGH_WATERMARK = 1024 * 1024;

    private final EventLoopGroup group;
    private final Channel serverChannel;
    private final ChannelGroup clients;

    private NettyPeerServer(EventLoopGroup group, Channel serverChannel, ChannelGroup clients) {
        this.group = group;
        this.serverChannel = serverChannel;
        this.clients = clients;
    }

    /** Binds {@code address} and starts serving on one event-loop thread. */
    public static NettyPeerServer start(InetSocketAddress address, Limits limits)
            throws IOException, InterruptedException {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        ChannelGroup clients = new DefaultChannelGroup(group.next());
        try {
            ServerBootstrap bootstrap = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                            new WriteBufferWaterMark(LOW_WATERMARK, HIGH_WATERMARK))
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel channel) {
                            clients.add(channel); // removed again by the group when the channel closes
                            channel.pipeline().addLast(new NettyFrameDecoder(limits), NettyPeerHandler.INSTANCE);
                        }
                    });
            Channel channel = bootstrap.bind(address).sync().channel();
            return new NettyPeerServer(group, channel, clients);
        } catch (Exception e) {
            // sync() rethrows a bind failure (a checked IOException) without declaring it.
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            if (e instanceof IOException) {
                throw (IOException) e;
            }
            if (e instanceof InterruptedException) {
                throw (InterruptedException) e;
            }
            if (e instanceof RuntimeException) {
                throw (RuntimeException) e;
            }
            throw new IOException("cannot bind " + address + ": " + e.getMessage(), e);
        }
    }

    public static NettyPeerServer start(InetSocketAddress address) throws IOException, InterruptedException {
        return start(address, Limits.DEFAULTS);
    }

    @Override
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    @Override
    public void close() {
        serverChannel.close().syncUninterruptibly();
        clients.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    public static void main(String[] args) throws InterruptedException {
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            // A benchmarked production server runs without leak sampling; tests keep Netty's default.
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
        PeerLauncher.run("netty-peer", args, NettyPeerServer::start);
    }
}
