package io.courier.bench.peer;

import io.courier.protocol.Limits;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The thread-per-client baseline (the Python tutorial's design in Java): one thread loops on
 * {@link ServerSocket#accept()} and starts a {@link BlockingPeerConnection} thread for every client.
 *
 * <p>{@code java -cp bench/target/bench.jar io.courier.bench.peer.BlockingPeerServer --port 0 [--port-file FILE]}
 */
public final class BlockingPeerServer implements PeerServer {
    private static final int BACKLOG = 4096;

    private final ServerSocket serverSocket;
    private final Limits limits;
    private final Set<Socket> clients = ConcurrentHashMap.newKeySet();
    private final AtomicLong clientCount = new AtomicLong();
    private final Thread acceptor;
    private volatile boolean closed;

    private BlockingPeerServer(ServerSocket serverSocket, Limits limits) {
        this.serverSocket = serverSocket;
        this.limits = limits;
        this.acceptor = new Thread(this::acceptLoop, "blocking-peer-accept");
    }

    /** Binds {@code address} and starts the accept thread. */
    public static BlockingPeerServer start(InetSocketAddress address, Limits limits) throws IOException {
        ServerSocket socket = new ServerSocket();
        try {
            socket.setReuseAddress(true);
            socket.bind(address, BACKLOG);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        BlockingPeerServer server = new BlockingPeerServer(socket, limits);
        server.acceptor.start();
        return server;
    }

    public static BlockingPeerServer start(InetSocketAddress address) throws IOException {
        return start(address, Limits.DEFAULTS);
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = serverSocket.accept();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                // Out of descriptors or a client gone before accept: keep serving the others.
                continue;
            }
            clients.add(client);
            if (closed) {
                closeQuietly(client);
            }
            Thread thread = new Thread(new BlockingPeerConnection(client, limits, () -> clients.remove(client)),
                    "blocking-peer-client-" + clientCount.incrementAndGet());
            thread.setDaemon(true);
            try {
                thread.start();
            } catch (OutOfMemoryError e) {
                // No more threads: this design's limit. Refuse the client rather than die.
                clients.remove(client);
                closeQuietly(client);
            }
        }
    }

    @Override
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) serverSocket.getLocalSocketAddress();
    }

    /** Clients being served now. */
    public int openClients() {
        return clients.size();
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(serverSocket);
        for (Socket client : clients) {
            closeQuietly(client);
        }
        try {
            acceptor.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // closing anyway
        }
    }

    public static void main(String[] args) throws InterruptedException {
        PeerLauncher.run("blocking-peer", args, PeerLauncher.plainOnly(BlockingPeerServer::start));
    }
}
