package io.courier.bench.wire;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Redis's RESP2: commands as arrays of bulk strings; replies {@code +PONG}, {@code :N} (PUBLISH's receiver count),
 * {@code $N} bulk strings (ECHO), and pushed arrays on a subscribed connection ({@code *3 $9 subscribe chan :1},
 * {@code *3 $7 message chan payload}).
 */
final class RespCodec implements WireCodec {
    private static final byte[] PING = "*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII);

    private final InBytes in = new InBytes();

    @Override
    public void hello(OutBytes out) {
    }

    @Override
    public void ping(OutBytes out) {
        out.write(PING);
    }

    @Override
    public void echo(OutBytes out, String subject, byte[] payload) {
        out.ascii("*2\r\n$4\r\nECHO\r\n");
        bulk(out, payload);
    }

    @Override
    public boolean echoNeedsSubscription() {
        return false;
    }

    @Override
    public void subscribe(OutBytes out, String topic, String member) {
        out.ascii("*2\r\n$9\r\nSUBSCRIBE\r\n");
        bulk(out, topic.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void publish(OutBytes out, String topic, byte[] payload) {
        out.ascii("*3\r\n$7\r\nPUBLISH\r\n");
        bulk(out, topic.getBytes(StandardCharsets.UTF_8));
        bulk(out, payload);
    }

    @Override
    public boolean publishAcks() {
        return true;
    }

    @Override
    public boolean publisherReceives() {
        return false;
    }

    private static void bulk(OutBytes out, byte[] bytes) {
        out.ascii("$");
        out.decimal(bytes.length);
        out.crlf();
        out.write(bytes);
        out.crlf();
    }

    @Override
    public void read(ByteBuffer buffer, WireEvents events) throws IOException {
        in.append(buffer);
        while (in.start < in.end) {
            int next = parseOne(events);
            if (next < 0) {
                return; // a partial reply: wait for more bytes
            }
            in.consumeTo(next);
        }
    }

    /** Parses one top-level reply at the front; returns where it ends, or -1 when it is not complete. */
    private int parseOne(WireEvents events) throws IOException {
        int at = in.start;
        int eol = in.lineEnd(at + 1);
        if (eol < 0) {
            return -1;
        }
        byte kind = in.bytes[at];
        switch (kind) {
            case '+':
                if (in.equalsAscii(at + 1, eol, "PONG")) {
                    events.pong();
                } else {
                    events.ack();
                }
                return eol + 2;
            case '-':
                events.error(in.text(at + 1, eol));
                return eol + 2;
            case ':':
                events.ack();
                return eol + 2;
            case '$': {
                long length = in.decimal(at + 1, eol);
                if (length < 0) {
                    events.error("null bulk string");
                    return eol + 2;
                }
                int dataStart = eol + 2;
                if (in.end < dataStart + length + 2) {
                    return -1;
                }
                events.data(in.bytes, dataStart, (int) length);
                return dataStart + (int) length + 2;
            }
            case '*':
                return parseArray(at, eol, events);
            default:
                throw new IOException("not RESP: first byte 0x" + Integer.toHexString(kind & 0xff));
        }
    }

    /** A pushed array of bulk strings and integers: {@code subscribe}, {@code message}, {@code pong}. */
    private int parseArray(int at, int eol, WireEvents events) throws IOException {
        long count = in.decimal(at + 1, eol);
        int position = eol + 2;
        int[] starts = new int[3];
        int[] lengths = new int[3];
        for (int i = 0; i < count; i++) {
            int lineEnd = in.lineEnd(position + 1);
            if (lineEnd < 0) {
                return -1;
            }
            byte kind = in.bytes[position];
            if (kind == '$') {
                long length = in.decimal(position + 1, lineEnd);
                int dataStart = lineEnd + 2;
                if (in.end < dataStart + length + 2) {
                    return -1;
                }
                if (i < 3) {
                    starts[i] = dataStart;
                    lengths[i] = (int) length;
                }
                position = dataStart + (int) length + 2;
            } else if (kind == ':' || kind == '+') {
                position = lineEnd + 2;
            } else {
                throw new IOException("unexpected RESP element 0x" + Integer.toHexString(kind & 0xff) + " in an array");
            }
        }
        if (count >= 1) {
            if (in.equalsAscii(starts[0], starts[0] + lengths[0], "message") && count == 3) {
                events.data(in.bytes, starts[2], lengths[2]);
            } else if (in.equalsAscii(starts[0], starts[0] + lengths[0], "subscribe")) {
                events.ack();
            } else if (in.equalsAscii(starts[0], starts[0] + lengths[0], "pong")) {
                events.pong();
            }
        }
        return position;
    }
}
