package io.courier.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Wraps a decoder and checks, around every call, what must hold whatever the bytes: only {@link ProtocolException}
 * escapes (anything else, an Error such as StackOverflowError included, propagates and fails the caller); a thrown
 * error is out of sync and a reported one in sync, each with a code of PROTOCOL.md; the decoder holds at most
 * {@code maxHeld} bytes after a call and none once no message is partial; every message has a non-empty string
 * type, a body within the limit, the same type, id and reply flag in its lazy view as in its tree, and encodes to
 * bytes that decode to the same message.
 */
final class CheckedDecoder implements MessageDecoder {
    private final MessageDecoder decoder;
    private final Framing framing;
    private final Limits limits;
    private final long maxHeld;
    private boolean failed;

    CheckedDecoder(Framing framing, Limits limits) {
        this.decoder = framing.newDecoder(limits);
        this.framing = framing;
        this.limits = limits;
        // The limit of one message: a binary frame's prefix, header and body; a JSON object, plus the few bytes
        // of an escaped surrogate pair the JSON decoder may hold back for the next read.
        this.maxHeld = framing == Framing.BINARY
                ? FrameDecoder.PREFIX_BYTES + (long) limits.maxHeaderBytes() + limits.maxBodyBytes()
                : limits.maxHeaderBytes() + 11L;
    }

    @Override
    public void decode(ByteBuffer in, Sink sink) throws ProtocolException {
        assertFalse(failed, "a decoder that threw is not fed again");
        Sink checking = new Sink() {
            @Override
            public void onMessage(Message message) {
                checkMessage(message);
                sink.onMessage(message);
            }

            @Override
            public void onError(ProtocolException error) {
                assertTrue(error.inSync(), "a reported error is in sync: " + error.getMessage());
                checkError(error);
                sink.onError(error);
            }
        };
        try {
            decoder.decode(in, checking);
        } catch (ProtocolException e) {
            failed = true;
            assertFalse(e.inSync(), "a thrown error is out of sync: " + e.getMessage());
            checkError(e);
            throw e;
        }
        long held = decoder.bufferedBytes();
        assertTrue(held >= 0 && held <= maxHeld, "holds " + held + " bytes, more than one message may: " + maxHeld);
        if (!decoder.hasPartialMessage()) {
            assertEquals(0, held, "nothing is held between messages");
        }
    }

    private static void checkError(ProtocolException error) {
        assertNotNull(error.code());
        assertNotNull(error.getMessage());
        assertFalse(error.getMessage().isBlank());
        Message reply = error.toReply(); // the server turns every error into a reply: it must be encodable
        for (Framing any : Framing.values()) {
            assertTrue(any.encoder().encode(reply).hasRemaining());
        }
    }

    private void checkMessage(Message message) {
        // The lazy view of a binary frame (type, id, ok from the streaming scan) agrees with the full tree.
        String type = message.type();
        JsonNode id = message.id();
        boolean reply = message.isReply();
        ByteBuffer encoded = framing.encoder().encode(message); // raw bytes as they came, for a lazy message
        ObjectNode header = message.header();
        assertNotNull(type);
        assertFalse(type.isEmpty());
        assertEquals(header.path(Message.TYPE).textValue(), type, "type of " + header);
        JsonNode treeId = header.get(Message.ID);
        assertEquals(treeId == null || treeId.isNull() ? null : treeId, id, "id of " + header);
        assertEquals(header.has(Message.OK), reply, "reply flag of " + header);
        if (framing == Framing.BINARY) {
            assertTrue(message.bodyLength() <= limits.maxBodyBytes(), "body within max-body-bytes");
        }
        // Encode-then-decode gives the message back (the server's echo relies on it).
        Streams.Recorder again = new Streams.Recorder();
        try {
            framing.newDecoder(Limits.DEFAULTS).decode(encoded, again);
        } catch (ProtocolException e) {
            throw new AssertionError("a decoded message, encoded again, does not decode: " + e.getMessage()
                    + " for " + header, e);
        }
        assertEquals(1, again.messages.size(), "one message back for " + header + ": " + again.lines);
        assertEquals(header, again.messages.get(0).header(), "the same header");
        assertArrayEquals(message.body(), again.messages.get(0).body(), "the same body");
    }

    @Override
    public boolean hasPartialMessage() {
        return decoder.hasPartialMessage();
    }

    @Override
    public long bufferedBytes() {
        return decoder.bufferedBytes();
    }

    @Override
    public void close() {
        decoder.close();
    }
}
