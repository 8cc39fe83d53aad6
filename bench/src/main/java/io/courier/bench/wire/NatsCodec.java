package io.courier.bench.wire;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The NATS text protocol: {@code CONNECT {...}} with verbose and pedantic off (no {@code +OK} per command),
 * {@code PING}/{@code PONG}, {@code SUB subject sid}, {@code PUB subject n}, and deliveries
 * {@code MSG subject sid [reply-to] n\r\n payload\r\n}. NATS confirms nothing with verbose off, so a subscription
 * is followed by a {@code PING}: the server answers it in order, after it has registered the subscription, and
 * that {@code PONG} is the acknowledgement.
 */
final class NatsCodec implements WireCodec {
    private static final byte[] CONNECT = ("CONNECT {\"verbose\":false,\"pedantic\":false,\"echo\":true,"
            + "\"name\":\"courier-wire\",\"lang\":\"java\",\"version\":\"1\",\"protocol\":1}\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PING = "PING\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PONG = "PONG\r\n".getBytes(StandardCharsets.US_ASCII);

    private final InBytes in = new InBytes();
    /** PONGs still due for subscription barriers; they come before the answers to later pings. */
    private int barriers;
    private int sids;

    @Override
    public void hello(OutBytes out) {
        out.write(CONNECT);
    }

    @Override
    public void ping(OutBytes out) {
        out.write(PING);
    }

    @Override
    public void echo(OutBytes out, String subject, byte[] payload) {
        publish(out, subject, payload);
    }

    @Override
    public boolean echoNeedsSubscription() {
        return true;
    }

    @Override
    public void subscribe(OutBytes out, String topic, String member) {
        out.ascii("SUB ");
        out.ascii(topic);
        out.ascii(" ");
        out.decimal(++sids);
        out.crlf();
        out.write(PING);
        barriers++;
    }

    @Override
    public void publish(OutBytes out, String topic, byte[] payload) {
        out.ascii("PUB ");
        out.ascii(topic);
        out.ascii(" ");
        out.decimal(payload.length);
        out.crlf();
        out.write(payload);
        out.crlf();
    }

    @Override
    public boolean publishAcks() {
        return false;
    }

    @Override
    public boolean publisherReceives() {
        return false;
    }

    @Override
    public void pongToServer(OutBytes out) {
        out.write(PONG);
    }

    @Override
    public void read(ByteBuffer buffer, WireEvents events) throws IOException {
        in.append(buffer);
        while (in.start < in.end) {
            int next = parseOne(events);
            if (next < 0) {
                return;
            }
            in.consumeTo(next);
        }
    }

    private int parseOne(WireEvents events) throws IOException {
        int at = in.start;
        int eol = in.lineEnd(at);
        if (eol < 0) {
            return -1;
        }
        if (startsWith(at, eol, "MSG ")) {
            // MSG <subject> <sid> [reply-to] <#bytes>: the length is the last word.
            int lastSpace = eol - 1;
            while (lastSpace > at && in.bytes[lastSpace] != ' ') {
                lastSpace--;
            }
            long length = in.decimal(lastSpace + 1, eol);
            int dataStart = eol + 2;
            if (in.end < dataStart + length + 2) {
                return -1;
            }
            events.data(in.bytes, dataStart, (int) length);
            return dataStart + (int) length + 2;
        }
        if (in.equalsAscii(at, eol, "PONG")) {
            if (barriers > 0) {
                barriers--;
                events.ack();
            } else {
                events.pong();
            }
        } else if (in.equalsAscii(at, eol, "PING")) {
            events.serverPing();
        } else if (startsWith(at, eol, "-ERR")) {
            events.error(in.text(at, eol));
        } else if (!startsWith(at, eol, "INFO") && !startsWith(at, eol, "+OK")) {
            throw new IOException("unexpected NATS line: " + in.text(at, Math.min(eol, at + 80)));
        }
        return eol + 2;
    }

    private boolean startsWith(int at, int eol, String prefix) {
        return eol - at >= prefix.length() && in.equalsAscii(at, at + prefix.length(), prefix);
    }
}
