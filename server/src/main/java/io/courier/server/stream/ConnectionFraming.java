package io.courier.server.stream;

import io.courier.protocol.BufferPool;
import io.courier.protocol.ErrorCode;
import io.courier.protocol.Framing;
import io.courier.protocol.Limits;
import io.courier.protocol.MessageDecoder;
import io.courier.protocol.MessageEncoder;
import io.courier.protocol.ProtocolException;
import io.courier.server.metrics.CloseReason;
import io.courier.server.metrics.ServerStats;
import io.courier.server.web.WebConnection;
import io.courier.server.web.WebSite;

import java.nio.ByteBuffer;

/**
 * One connection's framing, both ways: the first byte the client sends picks it, then every batch of bytes goes
 * through its decoder and every message out through its encoder. Until that first byte, replies (a busy or timeout
 * error) are written in JSON text, the framing anyone can read. A message handled inside {@link #decode} may close
 * the connection; the decoder is then released only once it has returned, never under its own feet. The bytes a
 * partial message holds are counted in the server's buffered input (the buffer budget). A first byte that starts an
 * HTTP request makes it a {@link WebConnection}: the page and /healthz, or, after {@code GET /ws}, messages in
 * WebSocket messages. Loop-thread only.
 */
final class ConnectionFraming {
    private final Limits limits;
    /** The loop's chunks, into which the binary decoder receives large bodies. */
    private final BufferPool bodies;
    private final ServerStats stats;
    private final WebSite site;
    private final WebConnection.Wire wire;
    /** Set when the connection started with HTTP; the framing fields stay unused then. */
    private WebConnection web;
    /** Bytes of a partial message held, as last added to the stats. */
    private long counted;
    private Framing framing;
    private MessageEncoder encoder = Framing.JSON_TEXT.encoder();
    /** Only while a message is partial: between messages the decoder is dropped, so an idle client costs less. */
    private MessageDecoder decoder;
    private boolean decoding;
    private boolean closeAfterDecode;

    ConnectionFraming(Limits limits, BufferPool bodies, ServerStats stats, WebSite site, WebConnection.Wire wire) {
        this.limits = limits;
        this.bodies = bodies;
        this.stats = stats;
        this.site = site;
        this.wire = wire;
    }

    /** True once the client's first byte chose a framing (or HTTP became a WebSocket): events go only then. */
    boolean known() {
        return framing != null || (web != null && web.carriesMessages());
    }

    /** The encoder for replies: the client's framing, or JSON text while it is not known. */
    MessageEncoder encoder() {
        return web != null ? web.encoder() : encoder;
    }

    /** The request just dispatched went to a blocking handler; its reply comes through laterReplyEncoder. */
    void replyPending() {
        if (web != null) {
            web.replyPending();
        }
    }

    /** The encoder for the reply of the oldest blocking request (a WebSocket answers in the request's kind). */
    MessageEncoder laterReplyEncoder() {
        return web != null ? web.laterReplyEncoder() : encoder;
    }

    /** Every reply is queued and the connection is closing: a WebSocket adds its close frame. */
    void farewell(CloseReason reason) {
        if (web != null) {
            web.farewell(reason);
        }
    }

    /**
     * Decodes what arrived; the first bytes choose the framing ({@code unknown_protocol} when the first byte starts
     * none, answered in JSON text).
     */
    void decode(ByteBuffer buffer, MessageDecoder.Sink sink) throws ProtocolException {
        if (framing == null && web == null) {
            byte first = buffer.get(buffer.position());
            if (WebConnection.startsHttp(first)) {
                web = new WebConnection(site, limits, wire);
            } else {
                choose(first);
            }
        }
        if (web != null) {
            try {
                web.decode(buffer, sink);
            } finally {
                count(web.bufferedBytes());
            }
            return;
        }
        if (decoder == null) {
            decoder = framing.newDecoder(limits, bodies);
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
            throw new ProtocolException(ErrorCode.UNKNOWN_PROTOCOL, false, Framing.expectation(first)
                    + ", or an HTTP request (GET / for the page, GET /ws for a WebSocket)");
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
        return web != null ? web.hasPartialMessage() : decoder != null && decoder.hasPartialMessage();
    }

    /** Drops a partial message: the connection is closing, or is being cut off by the buffer budget. */
    void close() {
        count(0);
        if (web != null) {
            web.close(); // safe inside its own decode: it stops at the next frame
        }
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
