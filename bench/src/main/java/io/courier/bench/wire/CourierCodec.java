package io.courier.bench.wire;

import io.courier.protocol.Framing;
import io.courier.protocol.HeaderWriter;
import io.courier.protocol.Limits;
import io.courier.protocol.Message;
import io.courier.protocol.MessageEncoder;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Courier's binary frames through the protocol module's own encoder and decoder: {@code ping}, {@code echo} with a
 * body, rooms as topics ({@code room.join}, {@code room.say} with the payload as its {@code text}, deliveries as
 * {@code room.message} events). Replies come in request order on a connection, so no ids are needed. Requests are
 * written by the protocol module's encoder; replies and deliveries are read by spelling, without the protocol
 * module's decoder, so the client spends on Courier's frames about what it spends on RESP and NATS lines (the
 * decoder builds a message object per frame: with it the client, not the server, was the limit in fan-out).
 */
final class CourierCodec implements WireCodec {
    private static final MessageEncoder ENCODER = Framing.BINARY.encoder();
    /*
     * Requests as header bytes built once, through the protocol module's HeaderWriter, as RESP and NATS commands are
     * constant bytes: a tree serialised by Jackson per request cost the client more than its reading (most of its
     * time in ping-64x16), so the client, not the server, was the limit.
     */
    private static final Message PING = HeaderWriter.of("ping").message();
    private static final Message ECHO = HeaderWriter.of("echo").message();

    private static final int PREFIX_BYTES = 8;
    private static final byte[] TYPE_FIELD = ascii("\"type\":\"");
    private static final byte[] OK_FIELD = ascii("\"ok\":");
    private static final byte[] CODE_FIELD = ascii("\"code\":\"");
    private static final byte[] TEXT_FIELD = ascii("\"text\":\"");
    private static final byte QUOTE_BYTE = '"';

    private final InBytes in = new InBytes();

    @Override
    public void hello(OutBytes out) {
    }

    @Override
    public void ping(OutBytes out) {
        ENCODER.encode(PING, out);
    }

    @Override
    public void echo(OutBytes out, String subject, byte[] payload) {
        ENCODER.encode(ECHO.withBody(payload), out);
    }

    @Override
    public boolean echoNeedsSubscription() {
        return false;
    }

    @Override
    public void subscribe(OutBytes out, String topic, String member) {
        ENCODER.encode(Message.of("room.join").with("room", topic).with("name", member), out);
    }

    @Override
    public void publish(OutBytes out, String topic, byte[] payload) {
        // The payloads are ASCII, so as a JSON string they need no escaping and keep their length.
        ENCODER.encode(HeaderWriter.of("room.say").field("room", topic)
                .field("text", new String(payload, StandardCharsets.ISO_8859_1)).message(), out);
    }

    @Override
    public boolean publishAcks() {
        return true;
    }

    @Override
    public boolean publisherReceives() {
        return true;
    }

    @Override
    public void read(ByteBuffer buffer, WireEvents events) throws IOException {
        in.append(buffer);
        while (in.end - in.start >= PREFIX_BYTES) {
            int at = in.start;
            long headerLength = u32(at);
            long bodyLength = u32(at + 4);
            if (headerLength == 0 || headerLength > Limits.DEFAULTS.maxHeaderBytes()
                    || bodyLength > Limits.DEFAULTS.maxBodyBytes()) {
                throw new IOException("Courier stream out of sync: frame lengths " + headerLength + " and "
                        + bodyLength);
            }
            long end = at + PREFIX_BYTES + headerLength + bodyLength;
            if (end > in.end) {
                return; // a partial frame: wait for more bytes
            }
            int header = at + PREFIX_BYTES;
            dispatch(header, header + (int) headerLength, (int) bodyLength, events);
            in.consumeTo((int) end);
        }
    }

    /**
     * One frame, read as a client that knows the server's compact headers reads them: it finds the fields it needs
     * by their spelling ({@code "ok":}, {@code "type":"}...) instead of parsing the JSON, as the RESP and NATS codecs
     * read their servers' lines. A payload is hex digits and {@code x} (no quote, no backslash), so the first quote
     * after {@code "text":"} ends it. The body follows the header.
     */
    private void dispatch(int header, int bodyStart, int bodyLength, WireEvents events) {
        int type = valueAfter(TYPE_FIELD, header, bodyStart);
        if (type < 0) {
            events.error("a frame header without a type: " + in.text(header, bodyStart));
            return;
        }
        if (typeIs(type, "room.message")) { // an event: never a reply, so no "ok" to look for
            int text = valueAfter(TEXT_FIELD, header, bodyStart);
            int end = text < 0 ? -1 : in.indexOf(QUOTE_BYTE, text, bodyStart);
            if (end < 0) {
                events.error("a room.message without a text: " + in.text(header, bodyStart));
            } else {
                events.data(in.bytes, text, end - text);
            }
            return;
        }
        int ok = valueAfter(OK_FIELD, header, bodyStart);
        if (ok >= 0) {
            if (!in.startsWith(ok, "true")) {
                events.error(stringAt(type, bodyStart) + ": " + stringAt(valueAfter(CODE_FIELD, header, bodyStart),
                        bodyStart));
            } else if (typeIs(type, "ping")) {
                events.pong();
            } else if (typeIs(type, "echo")) {
                events.data(in.bytes, bodyStart, bodyLength);
            } else {
                events.ack(); // room.join, room.say
            }
        }
        // room.joined, room.left: membership news, not deliveries.
    }

    /** Where the value after {@code field} (spelled with a string's opening quote, if any) starts, or -1. */
    private int valueAfter(byte[] field, int from, int to) {
        int at = in.indexOf(field, from, to);
        return at < 0 ? -1 : at + field.length;
    }

    /** Whether the type string starting at {@code at} is {@code type}: compared in place, no String per frame. */
    private boolean typeIs(int at, String type) {
        return in.startsWith(at, type) && at + type.length() < in.end && in.bytes[at + type.length()] == '"';
    }

    /** The plain string starting at {@code at} (after its quote), or null; for error messages only. */
    private String stringAt(int at, int to) {
        int end = at < 0 ? -1 : in.indexOf(QUOTE_BYTE, at, to);
        return end < 0 ? null : in.text(at, end);
    }

    private long u32(int at) {
        return (in.bytes[at] & 0xffL) << 24 | (in.bytes[at + 1] & 0xffL) << 16 | (in.bytes[at + 2] & 0xffL) << 8
                | (in.bytes[at + 3] & 0xffL);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
