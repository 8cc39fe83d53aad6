package io.courier.loadtest;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A blocking test server on 127.0.0.1 and a free port, a daemon thread per client, for the servers that misbehave
 * on purpose ({@link FaultyServer}, {@link FaultyRoomServer}): the subclass says how to serve one socket.
 */
abstract class ThreadPerClientServer implements AutoCloseable {
    private final ServerSocket listener = new ServerSocket();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final String name;

    /** @param receiveBuffer the listener's receive buffer (inherited by accepted sockets), or 0 for the default */
    ThreadPerClientServer(String name, int receiveBuffer) throws IOException {
        this.name = name;
        if (receiveBuffer > 0) {
            listener.setReceiveBufferSize(receiveBuffer);
        }
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
    }

    /** Starts accepting; called by the subclass once its own fields are set. */
    final void start() {
        Thread acceptor = new Thread(this::acceptLoop, name + "-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    final int port() {
        return listener.getLocalPort();
    }

    /** Serves one client until it goes away; the socket is closed afterwards. */
    abstract void serve(Socket socket);

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket socket = listener.accept();
                sockets.add(socket);
                Thread serve = new Thread(() -> serve(socket), name + "-serve");
                serve.setDaemon(true);
                serve.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket socket : sockets) {
            socket.close();
        }
    }
}
