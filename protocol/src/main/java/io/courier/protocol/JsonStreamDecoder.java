package io.courier.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteBufferFeeder;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Base64;

/**
 * Decodes a stream of JSON objects, glued together or separated by whitespace ({@code {..}{..}} and NDJSON both
 * work: no "Extra data"). Jackson's non-blocking parser finds the object boundaries, so braces and escapes inside
 * strings and multi-byte UTF-8 split across reads need no hand-written scanner.
 *
 * <p>The size limit is counted per message (from its first byte), never over the life of the connection. Between
 * messages the parser is released, so an idle connection holds no parser buffers.
 */
final class JsonStreamDecoder implements MessageDecoder {
    private final Limits limits;
    private final JsonTreeBuilder tree = new JsonTreeBuilder();

    private JsonParser parser;
    /** Bytes fed to the current parser; its locations count from 0 at its creation. */
    private long fed;
    /** Parser offset where the message being built started, or -1 between messages. */
    private long messageStart = -1;
    /** Parser offset just after the last complete root value. */
    private long lastValueEnd;

    JsonStreamDecoder(Limits limits) {
        this.limits = limits;
    }

    @Override
    public void decode(ByteBuffer in, Sink sink) throws ProtocolException {
        if (!in.hasRemaining()) {
            return;
        }
        if (parser == null) {
            parser = newParser();
            fed = 0;
            lastValueEnd = 0;
        }
        long feedStart = fed;
        int feedPosition = in.position();
        try {
            ((ByteBufferFeeder) parser.getNonBlockingInputFeeder()).feedInput(in);
            fed += in.remaining();
            JsonToken token;
            while ((token = parser.nextToken()) != JsonToken.NOT_AVAILABLE && token != null) {
                if (messageStart < 0) {
                    messageStart = parser.currentTokenLocation().getByteOffset();
                }
                JsonNode root = tree.accept(token, parser);
                if (root != null) {
                    long end = parser.currentLocation().getByteOffset();
                    checkSize(end - messageStart);
                    messageStart = -1;
                    lastValueEnd = end;
                    complete(root, sink);
                }
            }
            if (messageStart >= 0) {
                checkSize(fed - messageStart);
            }
        } catch (StreamConstraintsException e) {
            fail();
            throw new ProtocolException(ErrorCode.TOO_LARGE, false,
                    "the JSON object exceeds a limit: " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            long near = parser.currentLocation().getByteOffset(); // before fail(), which drops the parser
            fail();
            throw new ProtocolException(ErrorCode.MALFORMED, false,
                    "the JSON text cannot be parsed near byte " + near + ": "
                            + e.getOriginalMessage() + "; send one JSON object per message, UTF-8 encoded");
        } catch (IOException e) {
            fail();
            throw new ProtocolException(ErrorCode.MALFORMED, false, "the JSON text cannot be read: " + e);
        } catch (ProtocolException e) {
            if (!e.inSync()) {
                fail();
            }
            throw e;
        } finally {
            in.position(in.limit());
        }
        releaseParserIfIdle(in, feedStart, feedPosition);
    }

    private JsonParser newParser() throws ProtocolException {
        try {
            return Json.FACTORY.createNonBlockingByteBufferParser();
        } catch (IOException e) {
            throw new IllegalStateException("Jackson cannot create a non-blocking parser", e);
        }
    }

    private void checkSize(long messageBytes) throws ProtocolException {
        if (messageBytes > limits.maxHeaderBytes()) {
            fail();
            throw new ProtocolException(ErrorCode.TOO_LARGE, false,
                    "JSON message of " + messageBytes + "+ bytes exceeds max-header-bytes " + limits.maxHeaderBytes()
                            + "; send large data as a binary frame body, or in smaller messages");
        }
    }

    private static void complete(JsonNode root, Sink sink) {
        ObjectNode header;
        try {
            header = HeaderValidation.requireHeader(root);
        } catch (ProtocolException e) {
            sink.onError(e);
            return;
        }
        JsonNode encoded = header.remove(Message.BODY_BASE64);
        byte[] body = null;
        if (encoded != null) {
            try {
                body = Base64.getDecoder().decode(encoded.isTextual() ? encoded.textValue() : "?");
            } catch (IllegalArgumentException e) {
                sink.onError(new ProtocolException(ErrorCode.BAD_REQUEST, true,
                        "\"body_base64\" must be a string of standard base64 (RFC 4648), " + e.getMessage(),
                        header.get(Message.TYPE).textValue(), header.get(Message.ID)));
                return;
            }
        }
        sink.onMessage(new Message(header, body));
    }

    /**
     * Between messages, drop the parser and its buffers: a quiet connection should cost nothing. Only safe when
     * nothing after the last complete value is pending inside the parser, i.e. the rest of the input was whitespace.
     */
    private void releaseParserIfIdle(ByteBuffer in, long feedStart, int feedPosition) {
        if (tree.inValue() || messageStart >= 0) {
            return;
        }
        long from = Math.max(lastValueEnd, feedStart);
        for (long offset = from; offset < fed; offset++) {
            byte b = in.get(feedPosition + (int) (offset - feedStart));
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return;
            }
        }
        closeParser();
    }

    private void fail() {
        tree.reset();
        closeParser();
    }

    private void closeParser() {
        if (parser != null) {
            try {
                parser.close();
            } catch (IOException ignored) {
                // closing an in-memory parser cannot fail in a way that matters
            }
            parser = null;
        }
    }

    @Override
    public boolean hasPartialMessage() {
        return parser != null;
    }

    @Override
    public long bufferedBytes() {
        // The parser keeps partial tokens in its own buffers; a partial message is bounded by max-header-bytes.
        return messageStart >= 0 ? fed - messageStart : 0;
    }

    @Override
    public void close() {
        fail();
    }
}
