package io.courier.protocol;

import com.fasterxml.jackson.core.JsonParseException;
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
 * work: no "Extra data"). Jackson's non-blocking parser finds the object boundaries and hands out tokens as bytes
 * arrive, one parser for a run of messages until a read ends between two; {@link JsonTreeBuilder} makes each
 * object's tree from those tokens.
 *
 * <p>That parser needs help at five places, each a field or method below with the case it guards and a test
 * pinning it: bytes are checked as UTF-8 first (it lets overlong forms and code points past U+10FFFF through); an
 * escape unfinished at the end of a read is held for the next one (it cannot resume a field name inside an escaped
 * surrogate pair); a '}' right after a ',' or ':' that ended the last read is refused (it accepts one there); a
 * top-level number glued to anything but white space is refused (it ends the number anywhere); a byte-order mark
 * is refused at every message start (a fresh parser would skip it).
 *
 * <p>An owned boundary scanner that hands each complete object to Jackson's blocking parser was built and measured
 * against this (issue 9): it needs no held escapes and no feed-end cases, but it still checks UTF-8 and the
 * top-level rules in its own pass, it is more code, and it was slower, 1.14 to 1.46 times the time per message
 * (level only for a message split over many reads). Jackson's blocking parser, one per message, is by itself no
 * faster than this one per read, so any scan in front of it is extra cost. BENCHMARKS.md, "JSON-text decoder:
 * Jackson's non-blocking parser or an owned scanner", has the figures.
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
    /**
     * Parser offset of the first byte of the message being received (its first non-whitespace byte after the last
     * complete value), or -1 between messages. Counted from the bytes themselves, not from Jackson's token
     * locations: those point one byte past a token's start, and a root scalar (a long string) yields no token
     * at all until it ends.
     */
    private long messageStart = -1;
    /** Parser offset just after the last complete root value. */
    private long lastValueEnd;
    /**
     * True when the last non-whitespace byte fed is a ',' or ':'. Jackson's non-blocking parser (2.17 to 2.22 at
     * least) accepts a '}' arriving in the next feed after one, so {"a":1,} and {"a":} passed when a read ended
     * right after the separator, and were malformed otherwise; decode refuses them whatever the chunking.
     */
    private boolean separatorAtFeedEnd;
    /**
     * The tail of the last read when it ended inside an escape (backslash, u, up to three hex digits), or right
     * after an escaped high surrogate (backslash-u D800-DBFF) or inside the escape after it. Jackson 2.x's
     * non-blocking parser cannot resume a field name after a high surrogate: on a valid pair (an emoji written as
     * two backslash-u escapes, as Python's json.dumps does) it fails, and on a second escape that is no low
     * surrogate it forgets the half-read name and goes on as if the name had ended, so a broken object passed as
     * a message with that field dropped. Holding every unfinished escape back for the next read means Jackson
     * never resumes inside an escape, and sees a high surrogate and the escape after it in one piece.
     */
    private final byte[] held = new byte[11];
    /** Jackson's non-blocking parser lets overlong forms and code points past U+10FFFF through: checked here. */
    private final Utf8Validator utf8 = new Utf8Validator();
    private int heldLength;

    JsonStreamDecoder(Limits limits) {
        this.limits = limits;
    }

    @Override
    public void decode(ByteBuffer in, Sink sink) throws ProtocolException {
        if (!in.hasRemaining()) {
            return;
        }
        int bad = utf8.firstInvalid(in);
        if (bad < 0) {
            decodeUtf8(in, sink);
            return;
        }
        // The messages before the bad byte are served as if it had not arrived yet (so whatever the chunking).
        byte badByte = in.get(bad);
        try {
            decodeUtf8(in.duplicate().limit(bad), sink);
        } finally {
            in.position(in.limit());
        }
        long near = (parser == null ? 0 : fed) + heldLength;
        fail();
        throw new ProtocolException(ErrorCode.MALFORMED, false, String.format("the JSON text cannot be parsed near "
                + "byte %d: byte 0x%02x is not UTF-8 there (overlong forms, surrogates and code points past U+10FFFF "
                + "are not UTF-8 either); send one JSON object per message, UTF-8 encoded", near, badByte & 0xff));
    }

    /** Decodes bytes already known to be well-formed UTF-8 (a multi-byte sequence may still continue in the next). */
    private void decodeUtf8(ByteBuffer in, Sink sink) throws ProtocolException {
        if (!in.hasRemaining()) {
            return;
        }
        ByteBuffer input = in;
        if (heldLength > 0) {
            input = ByteBuffer.allocate(heldLength + in.remaining()); // rare: a read ended inside an escape
            input.put(held, 0, heldLength).put(in).flip();
            heldLength = 0;
        }
        int hold = unfinishedEscapeTail(input);
        if (hold > 0) {
            int end = input.limit() - hold;
            for (int i = 0; i < hold; i++) {
                held[i] = input.get(end + i);
            }
            heldLength = hold;
            input = input.duplicate().limit(end);
        }
        try {
            feed(input, sink);
        } finally {
            in.position(in.limit());
        }
    }

    /**
     * Length of the tail of {@code in} to hold back: an escaped high surrogate (backslash, u, D800 to DBFF)
     * followed by nothing or by an unfinished escape; or, without one, an unfinished escape alone (backslash, u,
     * up to three hex digits); or 0.
     */
    static int unfinishedEscapeTail(ByteBuffer in) {
        for (int tail = Math.min(11, in.remaining()); tail > 0; tail--) {
            int at = in.limit() - tail;
            boolean held = tail >= 6 ? isHighSurrogateEscape(in, at) && isEscapeStart(in, at + 6, tail - 6)
                    : isEscapeStart(in, at, tail);
            if (held) {
                return tail;
            }
        }
        return 0;
    }

    /** Whether the six bytes from {@code at} are backslash, u, D, one of 89AB, hex, hex (any case). */
    private static boolean isHighSurrogateEscape(ByteBuffer in, int at) {
        for (int i = 0; i < 6; i++) {
            char c = (char) (in.get(at + i) & 0xff);
            boolean ok = i == 0 ? c == '\\' : i == 1 ? c == 'u' : i == 2 ? c == 'd' || c == 'D'
                    : i == 3 ? "89abAB".indexOf(c) >= 0 : isHex(c);
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Whether the {@code length} (0 to 5) bytes from {@code at} start an escape: backslash, u, then hex digits. */
    private static boolean isEscapeStart(ByteBuffer in, int at, int length) {
        for (int i = 0; i < length; i++) {
            char c = (char) (in.get(at + i) & 0xff);
            if (!(i == 0 ? c == '\\' : i == 1 ? c == 'u' : isHex(c))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private void feed(ByteBuffer in, Sink sink) throws ProtocolException {
        if (!in.hasRemaining()) {
            return;
        }
        if (parser == null) {
            parser = newParser();
            fed = 0;
            lastValueEnd = 0;
            separatorAtFeedEnd = false;
        }
        long feedStart = fed;
        int feedPosition = in.position();
        try {
            if (feedStart == 0 && in.get(feedPosition) == (byte) 0xef) {
                // A fresh parser would skip a UTF-8 byte-order mark here, and a parser kept from the last message
                // would refuse it: a new parser starts after every idle point, so refuse it always.
                throw new JsonParseException(parser, "byte 0xef cannot start a JSON value (no byte-order marks)");
            }
            ((ByteBufferFeeder) parser.getNonBlockingInputFeeder()).feedInput(in);
            fed += in.remaining();
            JsonToken token;
            boolean firstToken = true;
            while ((token = parser.nextToken()) != JsonToken.NOT_AVAILABLE && token != null) {
                if (firstToken && separatorAtFeedEnd && token == JsonToken.END_OBJECT) {
                    throw new JsonParseException(parser, "'}' cannot follow ',' or ':' (a value is missing)");
                }
                firstToken = false;
                if (messageStart < 0) {
                    // A value begun in an earlier feed already set messageStart there: this one starts in this feed.
                    messageStart = firstNonWhitespace(in, feedStart, feedPosition);
                }
                JsonNode root = tree.accept(token, parser);
                if (root != null) {
                    long end = parser.currentLocation().getByteOffset();
                    if (token.isNumeric()) {
                        requireWhitespaceAfterNumber(in, feedStart, feedPosition, end);
                    }
                    checkSize(end - messageStart);
                    messageStart = -1;
                    lastValueEnd = end;
                    complete(root, sink);
                }
            }
            if (messageStart < 0) {
                messageStart = firstNonWhitespace(in, feedStart, feedPosition); // a value that has no token yet
            }
            noteSeparatorAtEnd(in, feedPosition);
            if (messageStart >= 0) {
                checkSize(fed + heldLength - messageStart);
            }
        } catch (StreamConstraintsException e) {
            fail();
            throw new ProtocolException(ErrorCode.TOO_LARGE, false,
                    "the JSON object exceeds a limit: " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            long near = parser.currentLocation().getByteOffset(); // before fail() drops the parser
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
        releaseParserIfIdle();
    }

    /**
     * A number at the top level ends at the first byte that cannot continue it, and only white space may follow.
     * Jackson's non-blocking parser ends it at any such byte, so "1.5.3" was the number 1.5 (a bad_request) and
     * then a broken value, but the same bytes split inside the number were one malformed number: the answer
     * depended on where a read ended (found by JsonStreamDecoderFuzzTest). Whatever glues to a number is malformed.
     */
    private void requireWhitespaceAfterNumber(ByteBuffer in, long feedStart, int feedPosition, long end)
            throws JsonParseException {
        long index = feedPosition + (end - feedStart);
        if (end >= feedStart && index < in.limit()) {
            byte next = in.get((int) index);
            if (next != ' ' && next != '\n' && next != '\r' && next != '\t') {
                throw new JsonParseException(parser, String.format("a number at the top level must be followed by "
                        + "white space, not by byte 0x%02x", next & 0xff));
            }
        }
    }

    /** Updates separatorAtFeedEnd from the last non-whitespace byte of this feed, if it has one. */
    private void noteSeparatorAtEnd(ByteBuffer in, int feedPosition) {
        for (int at = in.limit() - 1; at >= feedPosition; at--) {
            byte b = in.get(at);
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                separatorAtFeedEnd = b == ',' || b == ':';
                return;
            }
        }
    }

    /** Offset of the first non-whitespace byte of this feed after the last complete value, or -1. */
    private long firstNonWhitespace(ByteBuffer in, long feedStart, int feedPosition) {
        for (long offset = Math.max(lastValueEnd, feedStart); offset < fed; offset++) {
            byte b = in.get(feedPosition + (int) (offset - feedStart));
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return offset;
            }
        }
        return -1;
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
     * nothing after the last complete value is pending inside the parser, i.e. the rest of the input was whitespace
     * (decode leaves messageStart at -1 exactly then).
     */
    private void releaseParserIfIdle() {
        if (messageStart < 0 && !tree.inValue()) {
            closeParser();
        }
    }

    private void fail() {
        tree.reset();
        messageStart = -1;
        heldLength = 0;
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
        return parser != null || heldLength > 0;
    }

    @Override
    public long bufferedBytes() {
        // The parser keeps partial tokens in its own buffers; a partial message is bounded by max-header-bytes.
        return (messageStart >= 0 ? fed - messageStart : 0) + heldLength;
    }

    @Override
    public void close() {
        fail();
    }
}
