package io.courier.server.stream;

import io.courier.protocol.ErrorCode;
import io.courier.protocol.Framing;
import io.courier.protocol.Limits;
import io.courier.protocol.MessageDecoder;
import io.courier.protocol.MessageEncoder;
import io.courier.protocol.ProtocolException;
import io.courier.server.metrics.ServerStats;

import java.nio.ByteBuffer;

/**
 * One connection's framing, both ways: the first byte the client sends picks it, then every batch of bytes goes
 * through its decoder and every message out through its encoder. Until that first byte, replies (a busy or timeout
 * error) are written in JSON text, the framing anyone can read. A message handled inside {@link #decode} may close
 * the connection; the decoder is then released only once it has returned, never under its own feet. The bytes a
 * partial message holds are counted in the server's buffered input (the buffer budget). Loop-thread only.
 */
final class ConnectionFraming {
    private final Limits limits;
    private final ServerStats stats;
    /** Bytes of a partial message held, as last added to the stats. */
    private long counted;
    private Framing framing;
    private MessageEncoder encoder = Framing.JSON_TEXT.encoder();
    /** Only while a message is partial: between messages the decoder is dropped, so an idle client costs less. */
    private MessageDecoder decoder;
    private boolean decoding;
    private boolean closeAfterDecode;

    ConnectionFraming(Limits limits, ServerStats stats) {
        this.limits = limits;
        this.stats = stats;
    }

    /** True once the client's first byte chose a framing: events and notices are sent only then. */
    boolean known() {
        return framing != null;
    }

    /** The encoder for replies: the client's framing, or JSON text while it is not known. */
    MessageEncoder encoder() {
        return encoder;
    }

    /**
     * Decodes what arrived; the first bytes choose the framing ({@code unknown_protocol} when the first byte starts
     * none, answered in JSON text).
     */
    void decode(ByteBuffer buffer, MessageDecoder.Sink sink) throws ProtocolException {
        if (framing == null) {
            choose(buffer.get(buffer.position()));
        }
        if (decoder == null) {
            decoder = framing.newDecoder(limits);
        }
        decoding = true;
        try {
            decoder.decode(buffer, sink);
        } finally {
            decoding = false;
            if (closeAfterDecode || !decoder.hasPartialMessage()) {
                decoder.close();
                decoder = null;
            }
            count(decoder == null ? 0 : decoder.bufferedBytes());
        }
    }

    private void choose(byte first) throws ProtocolException {
        Framing detected = Framing.detect(first);
        if (detected == null) {
            throw new ProtocolException(ErrorCode.UNKNOWN_PROTOCOL, false, Framing.expectation(first));
        }
        framing = detected;
        encoder = detected.encoder();
    }

    /** Bytes held for a partial message after the last decode (0 between messages: the decoder is dropped then). */
    long bufferedBytes() {
        return counted;
    }

    private void count(long held) {
        if (held != counted) {
            stats.inputBytesBuffered(held - counted);
            counted = held;
        }
    }

    boolean hasPartialMessage() {
        return decoder != null && decoder.hasPartialMessage();
    }

    /** Drops a partial message: the connection is closing, or is being cut off by the buffer budget. */
    void close() {
        count(0);
        if (decoder == null) {
            return;
        }
        if (decoding) {
            closeAfterDecode = true;
        } else {
            decoder.close();
            decoder = null;
        }
    }
}
