package io.courier.loadtest;

import io.courier.protocol.Framing;
import io.courier.protocol.Limits;
import io.courier.protocol.MessageDecoder;
import io.courier.protocol.ProtocolException;

import java.nio.ByteBuffer;

/**
 * The replies of one connection as a byte stream to decode, in the client's framing, except that a server which
 * refuses a connection before it has seen the client's framing ({@code busy} at its connection limit,
 * {@code timeout}) answers in JSON text (PROTOCOL.md). A binary frame starts with {@code 0x00}, never {@code '{'}:
 * on a binary connection whose first byte is {@code '{'} the stream is read as JSON text, so the refusal is counted
 * as the error reply it is, not as an impossible frame length.
 */
final class ReplyStream {
    private final Framing framing;
    private MessageDecoder decoder;
    /** Nothing received yet: the first byte may be a JSON-text error sent before the server chose a framing. */
    private boolean awaitingFirstByte = true;

    ReplyStream(Framing framing) {
        this.framing = framing;
        this.decoder = framing.newDecoder(Limits.DEFAULTS);
    }

    /**
     * Decodes what {@code bytes} holds into {@code sink}.
     *
     * @return true when this was the first byte of a binary connection and it chose JSON text
     * @throws ProtocolException the stream cannot be decoded any further
     */
    boolean decode(ByteBuffer bytes, MessageDecoder.Sink sink) throws ProtocolException {
        boolean choseJsonText = false;
        if (awaitingFirstByte && bytes.hasRemaining()) {
            awaitingFirstByte = false;
            if (framing == Framing.BINARY && bytes.get(bytes.position()) == '{') {
                decoder.close();
                decoder = Framing.JSON_TEXT.newDecoder(Limits.DEFAULTS);
                choseJsonText = true;
            }
        }
        decoder.decode(bytes, sink);
        return choseJsonText;
    }

    void close() {
        decoder.close();
    }
}
