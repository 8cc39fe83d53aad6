package io.courier.server.cluster;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes Redis replies (RESP2 and RESP3) as bytes arrive, however the stream is split: a value may end in the
 * middle of a read and the next read completes it. Nothing is re-scanned, so a large reply costs its length once.
 *
 * <p>Values: simple strings and big numbers as {@code String}, bulk and verbatim strings as {@code byte[]},
 * integers as {@code Long}, doubles as {@code Double}, booleans, null (RESP2 null bulk and arrays too), arrays,
 * sets and maps (flattened, key then value) as {@code List<Object>}, errors as {@link RespError}, and push
 * messages, at the top level only, as {@link RespPush}. Bounded: a line of 64 KiB, a bulk string of 512 MiB (Redis's
 * own ceiling), 32 levels of nesting; past them the stream is broken and {@link RespException} says so.
 */
final class RespParser {
    static final int MAX_LINE = 64 * 1024;
    static final int MAX_BULK = 512 << 20;
    static final int MAX_DEPTH = 32;

    /** Receives each complete top-level value. */
    interface Sink {
        void value(Object value);
    }

    /** An array, set, map or push still missing {@code remaining} items. */
    private static final class Aggregate {
        final byte kind;
        final List<Object> items;
        long remaining;

        Aggregate(byte kind, long remaining) {
            this.kind = kind;
            this.remaining = remaining;
            this.items = new ArrayList<>((int) Math.min(remaining, 1024));
        }
    }

    private final Sink sink;
    private final ArrayDeque<Aggregate> stack = new ArrayDeque<>();
    private byte[] line = new byte[256];
    private int lineLength;
    /** The payload of a bulk string being read (null when reading a line), how much of it and its CRLF is in. */
    private byte[] bulk;
    private int bulkFilled;
    private byte bulkKind;

    RespParser(Sink sink) {
        this.sink = sink;
    }

    /** Consumes every byte of {@code in}, delivering the values it completes. */
    void feed(ByteBuffer in) throws RespException {
        while (in.hasRemaining()) {
            if (bulk != null) {
                readBulk(in);
                continue;
            }
            byte b = in.get();
            if (b == '\n') {
                handleLine();
                lineLength = 0;
            } else {
                if (lineLength == line.length) {
                    if (line.length >= MAX_LINE) {
                        throw new RespException("a reply line is longer than " + MAX_LINE + " bytes");
                    }
                    line = java.util.Arrays.copyOf(line, Math.min(MAX_LINE, line.length * 2));
                }
                line[lineLength++] = b;
            }
        }
    }

    private void readBulk(ByteBuffer in) throws RespException {
        if (bulkFilled < bulk.length) {
            int n = Math.min(bulk.length - bulkFilled, in.remaining());
            in.get(bulk, bulkFilled, n);
            bulkFilled += n;
            return;
        }
        byte b = in.get();
        byte expected = bulkFilled == bulk.length ? (byte) '\r' : (byte) '\n';
        if (b != expected) {
            throw new RespException("a bulk string does not end with CRLF");
        }
        if (++bulkFilled == bulk.length + 2) {
            byte[] payload = bulk;
            bulk = null;
            if (bulkKind == '!') {
                value(new RespError(new String(payload, StandardCharsets.UTF_8)));
            } else if (bulkKind == '=' && payload.length >= 4) {
                value(java.util.Arrays.copyOfRange(payload, 4, payload.length)); // "txt:" and the like
            } else {
                value(payload);
            }
        }
    }

    private void handleLine() throws RespException {
        if (lineLength < 2 || line[lineLength - 1] != '\r') {
            throw new RespException("a reply line does not end with CRLF");
        }
        byte type = line[0];
        String text = new String(line, 1, lineLength - 2, StandardCharsets.UTF_8);
        switch (type) {
            case '+':
            case '(':
                value(text);
                break;
            case '-':
                value(new RespError(text));
                break;
            case ':':
                value(number(text));
                break;
            case ',':
                value(real(text));
                break;
            case '#':
                value("t".equals(text));
                break;
            case '_':
                value(null);
                break;
            case '$':
            case '!':
            case '=':
                startBulk(type, number(text));
                break;
            case '*':
            case '~':
            case '>':
                startAggregate(type, number(text));
                break;
            case '%':
                startAggregate(type, 2 * number(text));
                break;
            default:
                throw new RespException("unknown reply type '" + (char) type + "'");
        }
    }

    private void startBulk(byte kind, long length) throws RespException {
        if (length == -1) {
            value(null);
            return;
        }
        if (length < 0 || length > MAX_BULK) {
            throw new RespException("a bulk string of " + length + " bytes");
        }
        bulk = new byte[(int) length];
        bulkFilled = 0;
        bulkKind = kind;
    }

    private void startAggregate(byte kind, long count) throws RespException {
        if (count == -1) {
            value(null);
        } else if (count < 0) {
            throw new RespException("an aggregate of " + count + " items");
        } else if (count == 0) {
            value(kind == '>' ? new RespPush(List.of()) : List.of());
        } else {
            if (stack.size() >= MAX_DEPTH) {
                throw new RespException("replies nested deeper than " + MAX_DEPTH);
            }
            stack.push(new Aggregate(kind, count));
        }
    }

    /** A complete value: into the aggregate being filled, completing it (and its parents) in turn. */
    private void value(Object value) throws RespException {
        Object complete = value;
        while (true) {
            Aggregate top = stack.peek();
            if (top == null) {
                sink.value(complete);
                return;
            }
            if (complete instanceof RespPush) {
                throw new RespException("a push message inside another reply");
            }
            top.items.add(complete);
            if (--top.remaining > 0) {
                return;
            }
            stack.pop();
            complete = top.kind == '>' ? new RespPush(top.items) : top.items;
        }
    }

    private static long number(String text) throws RespException {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new RespException("'" + text + "' is not a number");
        }
    }

    private static double real(String text) throws RespException {
        switch (text) {
            case "inf":
                return Double.POSITIVE_INFINITY;
            case "-inf":
                return Double.NEGATIVE_INFINITY;
            case "nan":
                return Double.NaN;
            default:
                try {
                    return Double.parseDouble(text);
                } catch (NumberFormatException e) {
                    throw new RespException("'" + text + "' is not a double");
                }
        }
    }
}
