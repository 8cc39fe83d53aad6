package io.courier.server.cluster;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The reply decoder gives the same values however the bytes are split, and refuses what is not RESP. */
class RespParserTest {
    /** Every kind of value, RESP2 and RESP3, with CRLF inside a bulk string and a push between replies. */
    private static final String STREAM = "+OK\r\n-ERR wrong\r\n:42\r\n:-7\r\n$5\r\nhello\r\n$-1\r\n$0\r\n\r\n"
            + "$4\r\na\r\nb\r\n*2\r\n$1\r\na\r\n:1\r\n*2\r\n*1\r\n+x\r\n*0\r\n*-1\r\n%1\r\n+k\r\n:1\r\n_\r\n#t\r\n"
            + "#f\r\n,1.5\r\n,inf\r\n>3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$3\r\nhi!\r\n!3\r\nERR\r\n"
            + "=8\r\ntxt:abcd\r\n~2\r\n:1\r\n:2\r\n(12345678901234567890\r\n";
    private static final List<String> VALUES = List.of("OK", "error:ERR wrong", "42", "-7", "bulk:hello", "null",
            "bulk:", "bulk:a\r\nb", "[bulk:a, 1]", "[[x], []]", "null", "[k, 1]", "null", "true", "false", "1.5",
            "Infinity", "push[bulk:message, bulk:ch, bulk:hi!]", "error:ERR", "bulk:abcd", "[1, 2]",
            "12345678901234567890");

    @Test
    void everySplitOfTheStreamGivesTheSameValues() throws Exception {
        byte[] bytes = STREAM.getBytes(StandardCharsets.UTF_8);
        assertEquals(VALUES, decode(bytes, bytes.length));
        for (int split = 1; split < bytes.length; split++) {
            List<String> values = new ArrayList<>();
            RespParser parser = new RespParser(v -> values.add(show(v)));
            parser.feed(ByteBuffer.wrap(bytes, 0, split));
            parser.feed(ByteBuffer.wrap(bytes, split, bytes.length - split));
            assertEquals(VALUES, values, "split at byte " + split);
        }
        assertEquals(VALUES, decode(bytes, 1), "one byte at a time");
        assertEquals(VALUES, decode(bytes, 7), "seven bytes at a time");
    }

    @Test
    void aLargeBulkStringArrivingInPiecesIsCopiedOnce() throws Exception {
        byte[] payload = new byte[3_000_000];
        java.util.Arrays.fill(payload, (byte) 'z');
        byte[] header = ("$" + payload.length + "\r\n").getBytes(StandardCharsets.US_ASCII);
        ByteBuffer all = ByteBuffer.allocate(header.length + payload.length + 2).put(header).put(payload)
                .put((byte) '\r').put((byte) '\n');
        List<Object> values = new ArrayList<>();
        RespParser parser = new RespParser(values::add);
        for (int at = 0; at < all.capacity(); at += 65536) {
            parser.feed(ByteBuffer.wrap(all.array(), at, Math.min(65536, all.capacity() - at)));
        }
        assertEquals(1, values.size());
        assertTrue(java.util.Arrays.equals(payload, (byte[]) values.get(0)));
    }

    @Test
    void whatIsNotRespIsRefused() {
        assertRefused("?what\r\n", "unknown reply type");
        assertRefused("+OK\n", "CRLF");
        assertRefused("$3\r\nabcXY", "CRLF");
        assertRefused(":12x\r\n", "not a number");
        assertRefused("$-5\r\n", "bulk string of -5");
        assertRefused("*1\r\n>1\r\n:1\r\n", "push message inside");
        assertRefused("*1\r\n".repeat(RespParser.MAX_DEPTH + 1), "nested deeper");
        assertRefused("+" + "x".repeat(RespParser.MAX_LINE + 1) + "\r\n", "longer than");
    }

    private static void assertRefused(String input, String why) {
        RespParser parser = new RespParser(v -> { });
        RespException e = assertThrows(RespException.class,
                () -> parser.feed(ByteBuffer.wrap(input.getBytes(StandardCharsets.UTF_8))));
        assertTrue(e.getMessage().contains(why), e.getMessage());
    }

    private static List<String> decode(byte[] bytes, int chunk) throws RespException {
        List<String> values = new ArrayList<>();
        RespParser parser = new RespParser(v -> values.add(show(v)));
        for (int at = 0; at < bytes.length; at += chunk) {
            parser.feed(ByteBuffer.wrap(bytes, at, Math.min(chunk, bytes.length - at)));
        }
        return values;
    }

    private static String show(Object value) {
        if (value instanceof byte[]) {
            return "bulk:" + new String((byte[]) value, StandardCharsets.UTF_8);
        }
        if (value instanceof RespError) {
            return "error:" + ((RespError) value).message();
        }
        if (value instanceof RespPush) {
            return "push" + show(((RespPush) value).items());
        }
        if (value instanceof List) {
            List<String> items = new ArrayList<>();
            ((List<?>) value).forEach(item -> items.add(show(item)));
            return items.toString();
        }
        return String.valueOf(value);
    }
}
