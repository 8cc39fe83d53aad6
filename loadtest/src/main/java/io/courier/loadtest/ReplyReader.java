package io.courier.loadtest;

import io.courier.protocol.Framing;
import io.courier.protocol.Message;
import io.courier.protocol.MessageDecoder;
import io.courier.protocol.ProtocolException;

import java.nio.ByteBuffer;

/**
 * The replies of one {@link LoadConnection}: decoded in the client's framing ({@link ReplyStream}), each matched
 * against the connection's {@link InFlightWindow}, its verdict counted ({@link ReplyAccounting}), and the traffic
 * told when a request was answered. Its own class because this is the per-reply path, apart from the socket and
 * the connection's life; what an undecodable stream means (it is closed) is the connection's business.
 * Client-thread only.
 */
final class ReplyReader implements MessageDecoder.Sink {
    private final LoadConnection connection;
    private final ClientThread thread;
    private final InFlightWindow window;
    private final Traffic traffic;
    /** Null until the connection is established: nothing is sent before, so nothing can be answered. */
    private ReplyStream stream;
    private String description;
    /** A TLS record held what cannot be decoded: the connection closes once the driver has returned. */
    private ProtocolException undecodable;
    /** When the bytes being decoded were read: every reply in them is stamped with it. */
    private long readNanos;

    ReplyReader(LoadConnection connection, ClientThread thread, InFlightWindow window, Traffic traffic) {
        this.connection = connection;
        this.thread = thread;
        this.window = window;
        this.traffic = traffic;
    }

    /** The connection is established: replies may come, in {@code framing}. */
    void start(Framing framing, String description) {
        this.description = description;
        this.stream = new ReplyStream(framing);
    }

    void readAt(long nanos) {
        readNanos = nanos;
    }

    /** @throws ProtocolException the stream cannot be decoded any further */
    void decode(ByteBuffer bytes) throws ProtocolException {
        if (stream.decode(bytes, this)) {
            thread.sample(description + ": the server answered in JSON text before any binary reply (a refusal"
                    + " sent before it knew the client's framing)");
        }
    }

    /** Decrypted bytes, during the TLS driver's call: a failure is kept for {@link #undecodable}. */
    void plaintext(ByteBuffer bytes) {
        if (stream == null || undecodable != null) {
            bytes.position(bytes.limit()); // nothing is sent before the handshake, so nothing can be answered
            return;
        }
        try {
            decode(bytes);
        } catch (ProtocolException e) {
            undecodable = e; // closed once the driver has returned
        }
    }

    /** The failure {@link #plaintext} met, or null. */
    ProtocolException undecodable() {
        return undecodable;
    }

    @Override
    public void onMessage(Message reply) {
        ReplyVerifier.Verdict verdict = thread.verifier().verify(reply, window);
        ReplyAccounting.record(verdict, reply, thread, description, readNanos);
        if (verdict.answersRequest() && connection.state() == LoadConnection.State.ESTABLISHED) {
            traffic.onAnswered(connection, readNanos);
        }
    }

    @Override
    public void onError(ProtocolException error) {
        thread.counters().increment(Counter.MISMATCHED);
        thread.sample(description + ": a reply the decoder skipped: " + error.getMessage());
    }

    void close() {
        if (stream != null) {
            stream.close();
        }
    }
}
