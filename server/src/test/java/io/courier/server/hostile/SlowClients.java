package io.courier.server.hostile;

import io.courier.protocol.Framing;
import io.courier.protocol.Limits;
import io.courier.protocol.Message;
import io.courier.protocol.MessageDecoder;
import io.courier.protocol.ProtocolException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Many misbehaving clients driven from one thread: each is a non-blocking socket that sends some bytes at once,
 * then (optionally) a few more bytes on every tick of a timer, and either reads whatever arrives (recording the
 * bytes and the moment of the server's end of stream) or never reads at all. A tick never blocks: a write the
 * socket cannot take now waits for the next tick.
 */
final class SlowClients implements AutoCloseable {
    private final List<Client> clients = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "slow-clients");
        thread.setDaemon(true);
        return thread;
    });
    private final ByteBuffer scratch = ByteBuffer.allocate(64 * 1024);

    /** One client: what it sends, whether it reads, and what it saw. */
    static final class Client {
        final SocketChannel channel;
        final Framing replyFraming;
        final long connectedNanos;
        private final byte[] perTick;
        private final boolean reads;
        private ByteBuffer pending;
        private final ByteArrayOutputStream received = new ByteArrayOutputStream();
        private volatile long eofNanos;
        private volatile IOException failure;

        private Client(SocketChannel channel, Framing replyFraming, byte[] perTick, boolean reads) {
            this.channel = channel;
            this.replyFraming = replyFraming;
            this.connectedNanos = System.nanoTime();
            this.perTick = perTick;
            this.reads = reads;
        }

        /** True once the server's end of stream was read (or the socket failed). */
        boolean ended() {
            return eofNanos != 0 || failure != null;
        }

        /** From connect to the server's end of stream. */
        Duration lifetime() {
            return Duration.ofNanos(eofNanos - connectedNanos);
        }

        IOException failure() {
            return failure;
        }

        /** Everything the server sent, decoded in this client's reply framing; fails on bytes that do not decode. */
        synchronized List<Message> messages() throws ProtocolException {
            List<Message> messages = new ArrayList<>();
            MessageDecoder decoder = replyFraming.newDecoder(Limits.DEFAULTS);
            decoder.decode(ByteBuffer.wrap(received.toByteArray()), new MessageDecoder.Sink() {
                @Override
                public void onMessage(Message message) {
                    messages.add(message);
                }

                @Override
                public void onError(ProtocolException error) {
                    throw new AssertionError("the server sent an undecodable reply: " + error.getMessage());
                }
            });
            if (decoder.hasPartialMessage()) {
                throw new AssertionError("the stream ended inside a reply after " + messages.size() + " whole ones");
            }
            return messages;
        }

        /** Closes with SO_LINGER 0: a reset, and anything unsent or unread is dropped. */
        void reset() throws IOException {
            channel.setOption(StandardSocketOptions.SO_LINGER, 0);
            channel.close();
        }
    }

    /**
     * Connects a client, sends {@code first} at once and {@code perTick} (may be null) on every tick.
     *
     * @param receiveBufferBytes a small SO_RCVBUF for clients that never read (0 leaves the default)
     */
    Client open(int port, byte[] first, byte[] perTick, boolean reads, Framing replyFraming, int receiveBufferBytes)
            throws IOException {
        SocketChannel channel = SocketChannel.open();
        try {
            if (receiveBufferBytes > 0) {
                channel.setOption(StandardSocketOptions.SO_RCVBUF, receiveBufferBytes);
            }
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.connect(new InetSocketAddress("127.0.0.1", port));
            channel.configureBlocking(false);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        Client client = new Client(channel, replyFraming, perTick, reads);
        if (first.length > 0) {
            client.pending = ByteBuffer.wrap(first);
        }
        synchronized (this) {
            send(client);
        }
        clients.add(client);
        return client;
    }

    /** Starts the timer: every {@code period}, each client reads what arrived and sends its next bytes. */
    void start(Duration period) {
        ticker.scheduleAtFixedRate(this::tick, period.toNanos(), period.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Stops the timer and waits for a running tick to end, so the clients' records are final. */
    void stop() throws InterruptedException {
        ticker.shutdownNow();
        if (!ticker.awaitTermination(10, TimeUnit.SECONDS)) {
            throw new AssertionError("a tick did not end within 10 s");
        }
    }

    List<Client> clients() {
        return clients;
    }

    boolean allEnded() {
        return clients.stream().allMatch(Client::ended);
    }

    private synchronized void tick() {
        for (Client client : clients) {
            if (client.ended() || !client.channel.isOpen()) {
                continue;
            }
            try {
                if (client.reads && readAvailable(client)) {
                    client.eofNanos = System.nanoTime();
                    client.channel.close(); // our FIN: the server's lingering close ends now
                    continue;
                }
                if (client.perTick != null && client.pending == null) {
                    client.pending = ByteBuffer.wrap(client.perTick);
                }
                send(client);
            } catch (IOException e) {
                client.failure = e;
            }
        }
    }

    /** Reads everything available now; true at the server's end of stream. */
    private boolean readAvailable(Client client) throws IOException {
        for (int reads = 0; reads < 64; reads++) {
            scratch.clear();
            int n = client.channel.read(scratch);
            if (n < 0) {
                return true;
            }
            if (n == 0) {
                return false;
            }
            synchronized (client) {
                client.received.write(scratch.array(), 0, n);
            }
        }
        return false;
    }

    private static void send(Client client) throws IOException {
        if (client.pending != null) {
            client.channel.write(client.pending);
            if (!client.pending.hasRemaining()) {
                client.pending = null;
            }
        }
    }

    @Override
    public void close() throws Exception {
        stop();
        for (Client client : clients) {
            client.channel.close();
        }
    }
}
