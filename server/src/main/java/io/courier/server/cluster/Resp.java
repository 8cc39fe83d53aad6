package io.courier.server.cluster;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Writing commands as RESP arrays of bulk strings, and reading reply values back as Java types. */
final class Resp {
    private static final byte[] CRLF = {'\r', '\n'};

    private Resp() {
    }

    /** The encoded command; each argument a String (UTF-8), a byte[], or a number. */
    static byte[] command(List<Object> args) {
        byte[][] parts = new byte[args.size()][];
        int size = 16;
        for (int i = 0; i < parts.length; i++) {
            Object arg = args.get(i);
            parts[i] = arg instanceof byte[] ? (byte[]) arg : String.valueOf(arg).getBytes(StandardCharsets.UTF_8);
            size += parts[i].length + 16;
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.put(ascii("*" + parts.length)).put(CRLF);
        for (byte[] part : parts) {
            out.put(ascii("$" + part.length)).put(CRLF).put(part).put(CRLF);
        }
        return java.util.Arrays.copyOf(out.array(), out.position());
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** A bulk or simple string as text; null stays null. */
    static String text(Object value) {
        if (value instanceof byte[]) {
            return new String((byte[]) value, StandardCharsets.UTF_8);
        }
        return value == null ? null : value.toString();
    }

    static long number(Object value) {
        if (value instanceof Long) {
            return (Long) value;
        }
        return Long.parseLong(text(value));
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value) {
        return value == null ? List.of() : (List<Object>) value;
    }
}
