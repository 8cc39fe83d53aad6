package io.courier.loadtest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.courier.protocol.Framing;
import io.courier.protocol.Json;
import io.courier.protocol.Message;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A deliberately wrong echo server for tests: blocking, a thread per connection, binary frames only, and one
 * {@link Fault} applied to what it sends back. It counts each connection's requests from 1.
 */
final class FaultyServer extends ThreadPerClientServer {
    enum Fault {
        /** Echo correctly. */
        NONE,
        /** Flip a bit in the body of every 10th reply. */
        CORRUPT_BODY,
        /** Reply to every 10th request with an id the client never sent. */
        WRONG_ID,
        /** Never reply to every 10th request. */
        DROP_EVERY_10TH,
        /** Send every 10th reply twice. */
        DUPLICATE_EVERY_10TH,
        /** Answer every 10th request with ok:false, code handler_failed. */
        ERROR_EVERY_10TH,
        /** Close the connection after 50 replies. */
        CLOSE_AFTER_50,
        /** Read nothing for {@link #STALL_MILLIS} after accepting, with a small receive buffer; then echo. */
        STALL_FIRST
    }

    static final long STALL_MILLIS = 800;

    private final Fault fault;
    private final CountDownLatch closed = new CountDownLatch(1);

    FaultyServer(Fault fault) throws IOException {
        // STALL_FIRST: a small receive buffer (inherited by accepted sockets), so the client's writes back up
        super("faulty", fault == Fault.STALL_FIRST ? 64 * 1024 : 0);
        this.fault = fault;
        start();
    }

    @Override
    void serve(Socket socket) {
        try (socket) {
            if (fault == Fault.STALL_FIRST) {
                // The stall being simulated: this connection's reader does nothing for a while.
                closed.await(STALL_MILLIS, TimeUnit.MILLISECONDS);
            }
            DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 65536));
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 65536);
            for (long n = 1; ; n++) {
                int headerLength = in.readInt();
                int bodyLength = in.readInt();
                byte[] header = in.readNBytes(headerLength);
                byte[] body = in.readNBytes(bodyLength);
                Message request = new Message((ObjectNode) Json.MAPPER.readTree(header), body);
                if (!reply(request, n, out)) {
                    return;
                }
                if (in.available() == 0) {
                    out.flush();
                }
            }
        } catch (IOException | InterruptedException e) {
            // the client went away or the server is closing
        }
    }

    /** Writes the (faulty) reply to the {@code n}th request; false to close the connection. */
    private boolean reply(Message request, long n, OutputStream out) throws IOException {
        boolean tenth = n % 10 == 0;
        request.header().put(Message.OK, true);
        Message reply = request;
        switch (fault) {
            case CORRUPT_BODY:
                if (tenth && request.bodyLength() > 0) {
                    byte[] body = request.body().clone();
                    body[body.length / 2] ^= 0x10;
                    reply = request.withBody(body);
                }
                break;
            case WRONG_ID:
                if (tenth) {
                    request.header().put(Message.ID, 1_000_000_000L + n);
                }
                break;
            case DROP_EVERY_10TH:
                if (tenth) {
                    return true;
                }
                break;
            case DUPLICATE_EVERY_10TH:
                if (tenth) {
                    write(reply, out);
                }
                break;
            case ERROR_EVERY_10TH:
                if (tenth) {
                    reply = Message.errorReply(request, io.courier.protocol.ErrorCode.HANDLER_FAILED, "broken");
                }
                break;
            case CLOSE_AFTER_50:
                if (n > 50) {
                    out.flush();
                    return false;
                }
                break;
            default:
                break;
        }
        write(reply, out);
        return true;
    }

    private static void write(Message message, OutputStream out) throws IOException {
        ByteBuffer frame = Framing.BINARY.encoder().encode(message);
        out.write(frame.array(), frame.arrayOffset() + frame.position(), frame.remaining());
    }

    @Override
    public void close() throws IOException {
        closed.countDown();
        super.close();
    }
}
