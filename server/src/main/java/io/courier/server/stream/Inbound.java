package io.courier.server.stream;

import io.courier.protocol.ErrorCode;
import io.courier.protocol.Framing;
import io.courier.protocol.Limits;
import io.courier.protocol.MessageDecoder;
import io.courier.protocol.ProtocolException;

import java.nio.ByteBuffer;

/**
 * The receiving half of a connection: the first byte picks the framing, then every batch of bytes goes through
 * that framing's decoder. A message handled inside {@link #decode} may close the connection; the decoder is then
 * released only once it has returned, never under its own feet. Loop-thread only.
 */
final class Inbound {
    private final Limits limits;
    private Framing framing;
    /** Only while a message is partial: between messages the decoder is dropped, so an idle client costs less. */
    private MessageDecoder decoder;
    private boolean decoding;
    private boolean closeAfterDecode;

    Inbound(Limits limits) {
        this.limits = limits;
    }

    boolean started() {
        return framing != null;
    }

    /** Chooses the framing from the first byte of {@code buffer}: unknown_protocol when that byte starts none. */
    Framing start(ByteBuffer buffer) throws ProtocolException {
        byte first = buffer.get(buffer.position());
        Framing framing = Framing.detect(first);
        if (framing == null) {
            throw new ProtocolException(ErrorCode.UNKNOWN_PROTOCOL, false, Framing.expectation(first));
        }
        this.framing = framing;
        return framing;
    }

    void decode(ByteBuffer buffer, MessageDecoder.Sink sink) throws ProtocolException {
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
        }
    }

    boolean hasPartialMessage() {
        return decoder != null && decoder.hasPartialMessage();
    }

    void close() {
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
