package io.courier.loadtest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.courier.protocol.Framing;
import io.courier.protocol.Json;
import io.courier.protocol.Message;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A deliberately wrong room server for fan-out tests: blocking, a thread per connection, binary frames only, one
 * room, and one {@link Fault} in what it delivers to the first member that joined. Everything else is right.
 */
final class FaultyRoomServer extends ThreadPerClientServer {
    enum Fault {
        /** Deliver the 10th message to the first member not at all. */
        DROP_10TH,
        /** Deliver the 10th message to the first member twice. */
        DUPLICATE_10TH,
        /** Deliver the 10th message to the first member after the 11th. */
        SWAP_10TH_AND_11TH
    }

    private final Fault fault;
    /** Members in joining order: their output streams. Guarded by {@code this} with {@link #seq}. */
    private final List<OutputStream> members = new CopyOnWriteArrayList<>();
    private long seq;
    private Message heldBack;

    FaultyRoomServer(Fault fault) throws IOException {
        super("faulty-room", 0);
        this.fault = fault;
        start();
    }

    @Override
    void serve(Socket socket) {
        try (socket) {
            DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 65536));
            OutputStream out = socket.getOutputStream();
            while (true) {
                int headerLength = in.readInt();
                int bodyLength = in.readInt();
                byte[] header = in.readNBytes(headerLength);
                in.readNBytes(bodyLength);
                Message request = new Message((ObjectNode) Json.MAPPER.readTree(header));
                handle(request, out);
            }
        } catch (IOException e) {
            // the client went away or the server is closing
        }
    }

    private synchronized void handle(Message request, OutputStream out) throws IOException {
        Message reply = Message.replyTo(request);
        String room = request.textField("room");
        if ("room.join".equals(request.type())) {
            members.add(out);
            reply.with("room", room).with("name", request.textField("name")).with("seq", seq).with("epoch", "e1");
            reply.header().putArray("members");
            write(reply, out);
        } else if ("room.say".equals(request.type())) {
            write(reply.with("room", room).with("delivered", members.size()), out);
            Message event = Message.of("room.message").with("room", room).with("text", request.textField("text"))
                    .with("name", "x").with("seq", ++seq).with("epoch", "e1");
            for (int m = 0; m < members.size(); m++) {
                deliver(m, event);
            }
        } else {
            write(reply, out);
        }
    }

    private void deliver(int member, Message event) throws IOException {
        OutputStream out = members.get(member);
        if (member != 0) {
            write(event, out);
            return;
        }
        switch (fault) {
            case DROP_10TH:
                if (seq != 10) {
                    write(event, out);
                }
                break;
            case DUPLICATE_10TH:
                write(event, out);
                if (seq == 10) {
                    write(event, out);
                }
                break;
            default:
                if (seq == 10) {
                    heldBack = event;
                } else {
                    write(event, out);
                    if (seq == 11) {
                        write(heldBack, out);
                    }
                }
                break;
        }
    }

    private static void write(Message message, OutputStream out) throws IOException {
        ByteBuffer frame = Framing.BINARY.encoder().encode(message);
        synchronized (out) {
            out.write(frame.array(), frame.arrayOffset() + frame.position(), frame.remaining());
            out.flush();
        }
    }
}
