package io.courier.bench.peer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.courier.protocol.Limits;
import io.courier.protocol.ProtocolException;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;

/**
 * One client of {@link BlockingPeerServer}, served by its own thread, the classic tutorial design: a
 * {@link DataInputStream} reads {@code readInt()} twice, then {@code readFully} the header and the body; replies go
 * into a buffered stream that is flushed when no more input is waiting ({@code in.available() == 0}), so pipelined
 * requests share a write and a lone request is answered at once.
 */
final class BlockingPeerConnection implements Runnable {
    private static final byte[] NO_BODY = new byte[0];

    private final Socket socket;
    private final Limits limits;
    private final Runnable onClose;

    BlockingPeerConnection(Socket socket, Limits limits, Runnable onClose) {
        this.socket = socket;
        this.limits = limits;
        this.onClose = onClose;
    }

    @Override
    public void run() {
        try (socket) {
            socket.setTcpNoDelay(true);
            DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
            serve(in, out);
        } catch (EOFException e) {
            // the client closed, possibly mid-frame: nothing to answer
        } catch (IOException e) {
            // reset or broken pipe: the client is gone
        } finally {
            onClose.run();
        }
    }

    private void serve(DataInputStream in, DataOutputStream out) throws IOException {
        boolean first = true;
        while (true) {
            int firstByte = in.read();
            if (firstByte < 0) {
                return;
            }
            if (first && firstByte != 0) {
                out.write(PeerReplies.toTextLine(PeerReplies.unknownProtocol((byte) firstByte)));
                out.flush();
                return;
            }
            first = false;
            long headerLength = ((firstByte & 0xffL) << 24) | (in.readUnsignedByte() << 16)
                    | (in.readUnsignedByte() << 8) | in.readUnsignedByte();
            long bodyLength = in.readInt() & 0xffff_ffffL;
            ProtocolException refused = PeerReplies.checkLengths(headerLength, bodyLength, limits.maxHeaderBytes(),
                    limits.maxBodyBytes());
            if (refused != null) {
                writeFrame(out, refused.toReply().header(), NO_BODY);
                if (!refused.inSync()) {
                    out.flush();
                    return;
                }
                in.skipNBytes(headerLength + bodyLength);
            } else if (!answer(in, out, (int) headerLength, (int) bodyLength)) {
                out.flush();
                return;
            }
            if (in.available() == 0) {
                out.flush();
            }
        }
    }

    /** Reads one frame's header and body and writes the reply; false when the connection must close. */
    private static boolean answer(DataInputStream in, DataOutputStream out, int headerLength, int bodyLength)
            throws IOException {
        byte[] headerBytes = new byte[headerLength];
        in.readFully(headerBytes);
        byte[] body = bodyLength == 0 ? NO_BODY : new byte[bodyLength];
        in.readFully(body);
        ObjectNode request;
        try {
            request = PeerReplies.parseHeader(headerBytes, 0, headerLength);
        } catch (ProtocolException e) {
            writeFrame(out, e.toReply().header(), NO_BODY);
            return e.inSync();
        }
        boolean echo = PeerReplies.echoesBody(request);
        writeFrame(out, PeerReplies.reply(request), echo ? body : NO_BODY);
        return true;
    }

    private static void writeFrame(DataOutputStream out, ObjectNode header, byte[] body) throws IOException {
        byte[] headerBytes = PeerReplies.toBytes(header);
        out.writeInt(headerBytes.length);
        out.writeInt(body.length);
        out.write(headerBytes);
        out.write(body);
    }
}
