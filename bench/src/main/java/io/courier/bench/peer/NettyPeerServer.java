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
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.JdkLoggerFactory;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The Netty baseline: Netty 4.2, NIO transport, ONE event-loop thread that accepts and serves every connection (the
 * same resources as Courier's one selector thread), pooled buffers, TCP_NODELAY, replies flushed once per read batch.
 * Write watermarks match Courier's defaults (256 KiB low, 1 MiB high) so both apply backpressure alike.
 *
 * <p>With a certificate and key ({@link #tlsContext}) a second listener, on a free port of the same host, serves the
 * same protocol inside TLS: Netty's {@code SslHandler} first in the pipeline, with the JDK's own engine
 * ({@link SslProvider#JDK}, the one Courier drives; no OpenSSL), TLS 1.3 and 1.2, Netty's default cipher suites.
 * Its delegated handshake tasks run on the event loop, as Netty does by default.
 *
 * <p>{@code java -cp bench/target/bench.jar io.courier.bench.peer.NettyPeerServer --port 0 [--port-file FILE]
 * [--tls-cert FILE --tls-key FILE]}
 */
public final class NettyPeerServer implements PeerServer {
    private static final int LOW_WATERMARK = 256 * 1024;
    private static final int HIGH_WATERMARK = 1024 * 1024;

    private final EventLoopGroup group;
    private final Channel serverChannel;
    /** The TLS listener, or null. */
    private final Channel tlsChannel;
    private final ChannelGroup clients;

    private NettyPeerServer(EventLoopGroup group, Channel serverChannel, Channel tlsChannel, ChannelGroup clients) {
        this.group = group;
        this.serverChannel = serverChannel;
        this.tlsChannel = tlsChannel;
        this.clients = clients;
    }

    /** Binds {@code address} and starts serving on one event-loop thread. */
    public static NettyPeerServer start(InetSocketAddress address, Limits limits)
            throws IOException, InterruptedException {
        return start(address, limits, null);
    }

    /** The server side of TLS from PEM files: the JDK's engine, TLS 1.3 and 1.2. */
    public static SslContext tlsContext(Path certificate, Path key) throws SSLException {
        return SslContextBuilder.forServer(certificate.toFile(), key.toFile())
                .sslProvider(SslProvider.JDK)
                .protocols("TLSv1.3", "TLSv1.2")
                .build();
    }

    /**
     * Binds {@code address} and, when {@code tls} is given, a TLS listener on a free port of the same host; serves
     * both on one event-loop thread.
     */
    public static NettyPeerServer start(InetSocketAddress address, Limits limits, SslContext tls)
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
                    .childHandler(initializer(clients, limits, null));
            Channel channel = bootstrap.bind(address).sync().channel();
            Channel tlsChannel = null;
            if (tls != null) {
                tlsChannel = bootstrap.clone().childHandler(initializer(clients, limits, tls))
                        .bind(new InetSocketAddress(address.getAddress(), 0)).sync().channel();
            }
            return new NettyPeerServer(group, channel, tlsChannel, clients);
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

    private static ChannelInitializer<SocketChannel> initializer(ChannelGroup clients, Limits limits, SslContext tls) {
        return new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel channel) {
                clients.add(channel); // removed again by the group when the channel closes
                if (tls != null) {
                    channel.pipeline().addLast(tls.newHandler(channel.alloc()));
                }
                channel.pipeline().addLast(new NettyFrameDecoder(limits), NettyPeerHandler.INSTANCE);
            }
        };
    }

    public static NettyPeerServer start(InetSocketAddress address) throws IOException, InterruptedException {
        return start(address, Limits.DEFAULTS);
    }

    /** What {@link PeerLauncher} asks for: with {@code --tls-cert} and {@code --tls-key}, a TLS listener too. */
    static NettyPeerServer start(PeerLauncher.Command command) throws IOException, InterruptedException {
        SslContext tls = null;
        if (command.tls()) {
            try {
                tls = tlsContext(command.tlsCert(), command.tlsKey());
            } catch (SSLException | IllegalArgumentException e) {
                throw new IllegalArgumentException("cannot use --tls-cert " + command.tlsCert() + " and --tls-key "
                        + command.tlsKey() + ": " + e.getMessage(), e);
            }
        }
        return start(command.address(), Limits.DEFAULTS, tls);
    }

    @Override
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    @Override
    public Optional<InetSocketAddress> tlsAddress() {
        return Optional.ofNullable(tlsChannel).map(channel -> (InetSocketAddress) channel.localAddress());
    }

    @Override
    public void close() {
        if (tlsChannel != null) {
            tlsChannel.close().syncUninterruptibly();
        }
        serverChannel.close().syncUninterruptibly();
        clients.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    public static void main(String[] args) throws InterruptedException {
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            // A benchmarked production server runs without leak sampling; tests keep Netty's default.
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
        // Netty would log through SLF4J, which without a configuration logs DEBUG: a line per TLS handshake, a cost
        // Courier (at --log-level warn) does not pay. java.util.logging's default level is INFO.
        InternalLoggerFactory.setDefaultFactory(JdkLoggerFactory.INSTANCE);
        PeerLauncher.run("netty-peer", args, NettyPeerServer::start);
    }
}
