package io.courier.protocol;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Base64;

/**
 * The candidate against {@link JsonStreamDecoder} (issue 9): the same contract, but an owned boundary scanner
 * instead of Jackson's non-blocking parser. A {@link JsonValueScanner} finds where each value ends, following
 * strings, escapes, nesting and token order across reads; the complete value then goes, whole, to Jackson's
 * blocking parser. A value that arrives in one read of a heap buffer is parsed where it lies; the bytes of a value
 * split across reads are copied until it is complete (and, for the blocking parser, those of a direct buffer).
 * JsonTextDecodeBenchmarks compares the two.
 *
 * <p>The size limit is counted per message (from its first byte), never over the life of the connection, and a
 * message is refused as soon as its bytes pass it. Between messages nothing is held.
 */
final class ScanningJsonDecoder implements MessageDecoder {
    private final Limits limits;
    private final JsonValueScanner scanner = new JsonValueScanner();
    /** The bytes so far of a message begun in an earlier read, from its first byte; null when there is none. */
    private GrowableBytes partial;
    /** Stream offset of the current message's first byte, for error messages. */
    private long messageOffset;
    /** Bytes of the stream before the current read. */
    private long streamOffset;

    ScanningJsonDecoder(Limits limits) {
        this.limits = limits;
    }

    @Override
    public void decode(ByteBuffer in, Sink sink) throws ProtocolException {
        int to = in.limit();
        int at = in.position();
        long base = streamOffset - at;
        streamOffset += to - at;
        try {
            while (at < to) {
                if (!scanner.inValue()) {
                    while (at < to && JsonValueScanner.isSpace(in.get(at))) {
                        at++;
                    }
                    if (at == to) {
                        break;
                    }
                    messageOffset = base + at;
                }
                at = scanMessage(in, at, to, base, sink);
            }
        } catch (ProtocolException e) {
            if (!e.inSync()) {
                close();
            }
            throw e;
        } finally {
            in.position(to);
        }
    }

    /**
     * Scans the current message from {@code at}; hands it over if it ends before {@code to}, else keeps its bytes.
     * Scans no further than one byte past the limit: a message is refused at the same byte whatever the reads.
     *
     * @return where the bytes after the message start, or {@code to}
     */
    private int scanMessage(ByteBuffer in, int at, int to, long base, Sink sink) throws ProtocolException {
        int held = partial == null ? 0 : partial.filled();
        int stop = (int) Math.min(to, at + (long) limits.maxHeaderBytes() - held + 1);
        int end = scanner.scan(in, at, stop, base);
        long size = held + (long) ((end < 0 ? stop : end) - at);
        if (size > limits.maxHeaderBytes()) {
            throw new ProtocolException(ErrorCode.TOO_LARGE, false, "JSON message of " + size + "+ bytes exceeds "
                    + "max-header-bytes " + limits.maxHeaderBytes() + "; send large data as a binary frame body, or "
                    + "in smaller messages");
        }
        if (partial == null && end < 0) {
            partial = new GrowableBytes(limits.maxHeaderBytes());
        }
        if (partial != null) {
            partial.fill(in.duplicate().position(at).limit(end < 0 ? stop : end));
        }
        if (end < 0) {
            return to;
        }
        JsonNode root = parse(in, at, end);
        partial = null;
        complete(root, sink);
        return end;
    }

    /**
     * The one value the scanner delimited, parsed by Jackson's blocking parser with the shared limits: from the
     * copied bytes of a value split across reads, else where it lies in {@code in}.
     */
    private JsonNode parse(ByteBuffer in, int at, int end) throws ProtocolException {
        try (JsonParser parser = partial != null ? Json.FACTORY.createParser(partial.bytes(), 0, partial.filled())
                : in.hasArray() ? Json.FACTORY.createParser(in.array(), in.arrayOffset() + at, end - at)
                : Json.FACTORY.createParser(copy(in, at, end))) {
            JsonNode root = JsonTreeBuilder.readValue(parser, parser.nextToken());
            if (parser.nextToken() != null) {
                throw new JsonParseException(parser, "more than one JSON value where one was expected");
            }
            return root;
        } catch (StreamConstraintsException e) {
            throw new ProtocolException(ErrorCode.TOO_LARGE, false,
                    "the JSON object exceeds a limit: " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            long near = e.getLocation() == null ? 0 : Math.max(0, e.getLocation().getByteOffset());
            throw JsonValueScanner.malformed(messageOffset + near, e.getOriginalMessage());
        } catch (IOException e) {
            throw new ProtocolException(ErrorCode.MALFORMED, false, "the JSON text cannot be read: " + e);
        }
    }

    /** A direct buffer's bytes must be in an array for the blocking parser (a stream over it costs more). */
    private static byte[] copy(ByteBuffer in, int at, int end) {
        byte[] bytes = new byte[end - at];
        in.get(at, bytes);
        return bytes;
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

    @Override
    public boolean hasPartialMessage() {
        return scanner.inValue();
    }

    @Override
    public long bufferedBytes() {
        return partial == null ? 0 : partial.filled();
    }

    @Override
    public void close() {
        scanner.reset();
        partial = null;
    }
}
