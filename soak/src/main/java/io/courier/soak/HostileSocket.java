package io.courier.soak;

import io.courier.protocol.Framing;
import io.courier.protocol.Limits;
import io.courier.protocol.Message;
import io.courier.protocol.MessageDecoder;
import io.courier.protocol.ProtocolException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A plain blocking socket for the hostile clients: write anything, reset on purpose, and read what the server
 * answers until it closes, telling a clean end of stream from a reset or a timeout. Registered while open, so the
 * soak can close every one of them at the end whatever state its client is in.
 */
final class HostileSocket implements AutoCloseable {
    /** How a read to the end finished. */
    enum End { EOF, RESET, TIMEOUT }

    /** What came back before the end. */
    record Answer(byte[] bytes, End end) {
        /** The replies, decoded in {@code framing}; an undecodable tail is left out. */
        List<Message> messages(Framing framing) {
            List<Message> messages = new ArrayList<>();
            try {
                framing.newDecoder(Limits.DEFAULTS).decode(ByteBuffer.wrap(bytes), new MessageDecoder.Sink() {
                    @Override
                    public void onMessage(Message message) {
                        messages.add(message);
                    }

                    @Override
                    public void onError(ProtocolException error) {
                        // a reply we cannot decode shows up as a missing message in the outcome
                    }
                });
            } catch (ProtocolException e) {
                // as above
            }
            return messages;
        }
    }

    private final Socket socket;
    private final Set<HostileSocket> registry;

    private HostileSocket(Socket socket, Set<HostileSocket> registry) {
        this.socket = socket;
        this.registry = registry;
    }

    /** Connects to 127.0.0.1:{@code port}; a positive {@code receiveBuffer} shrinks SO_RCVBUF first. */
    static HostileSocket connect(int port, int receiveBuffer, Set<HostileSocket> registry) throws IOException {
        Socket socket = new Socket();
        try {
            if (receiveBuffer > 0) {
                socket.setReceiveBufferSize(receiveBuffer);
            }
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
        HostileSocket hostile = new HostileSocket(socket, registry);
        registry.add(hostile);
        return hostile;
    }

    Socket socket() {
        return socket;
    }

    void write(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
    }

    /** Reads until the server closes, resets, or {@code timeout} passes; returns what came. */
    Answer readToEnd(Duration timeout) {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        long deadline = System.nanoTime() + timeout.toNanos();
        byte[] buffer = new byte[16 * 1024];
        try {
            InputStream in = socket.getInputStream();
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return new Answer(got.toByteArray(), End.TIMEOUT);
                }
                socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
                int n = in.read(buffer);
                if (n < 0) {
                    return new Answer(got.toByteArray(), End.EOF);
                }
                got.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException e) {
            return new Answer(got.toByteArray(), End.TIMEOUT);
        } catch (IOException e) {
            return new Answer(got.toByteArray(), End.RESET);
        }
    }

    /** Reads until {@code count} messages in {@code framing} have come, the server closes, or the timeout. */
    Answer readMessages(Framing framing, int count, Duration timeout) {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        long deadline = System.nanoTime() + timeout.toNanos();
        byte[] buffer = new byte[16 * 1024];
        try {
            InputStream in = socket.getInputStream();
            while (new Answer(got.toByteArray(), End.TIMEOUT).messages(framing).size() < count) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return new Answer(got.toByteArray(), End.TIMEOUT);
                }
                socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
                int n = in.read(buffer);
                if (n < 0) {
                    return new Answer(got.toByteArray(), End.EOF);
                }
                got.write(buffer, 0, n);
            }
            return new Answer(got.toByteArray(), null);
        } catch (SocketTimeoutException e) {
            return new Answer(got.toByteArray(), End.TIMEOUT);
        } catch (IOException e) {
            return new Answer(got.toByteArray(), End.RESET);
        }
    }

    /** Closes with SO_LINGER 0: the kernel sends a reset, not a FIN. */
    void reset() {
        try {
            socket.setSoLinger(true, 0);
        } catch (IOException e) {
            // closed already
        }
        close();
    }

    @Override
    public void close() {
        registry.remove(this);
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
