package io.courier.server.web;

import io.courier.protocol.ErrorCode;
import io.courier.protocol.ProtocolException;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads HTTP/1.x request heads incrementally (a head may arrive over many reads), at most {@link #MAX_HEAD_BYTES}
 * each: request line and headers up to the empty line. Lines may end in CRLF or a bare LF. A head that is too long
 * is {@code too_large} (answered 431), one that is not HTTP is {@code bad_request} (answered 400); both close the
 * connection. Bodies are never read.
 */
final class HttpRequestParser {
    static final int MAX_HEAD_BYTES = 8192;
    private static final String TCHARS = "!#$%&'*+-.^_`|~";

    private byte[] head;
    private int filled;

    /**
     * Consumes bytes up to the end of one request head.
     *
     * @return the request, with {@code in} just past its head; or null when the head is not complete yet and
     *         {@code in} is used up
     */
    HttpRequest read(ByteBuffer in) throws ProtocolException {
        while (in.hasRemaining()) {
            if (filled == MAX_HEAD_BYTES) {
                throw new ProtocolException(ErrorCode.TOO_LARGE, false, "the request line and headers are over "
                        + MAX_HEAD_BYTES + " bytes; send fewer or shorter headers");
            }
            if (head == null || filled == head.length) {
                head = head == null ? new byte[512] : Arrays.copyOf(head, Math.min(MAX_HEAD_BYTES, head.length * 2));
            }
            byte b = in.get();
            head[filled++] = b;
            if (b == '\n' && endsHead()) {
                HttpRequest request = parse(new String(head, 0, filled, StandardCharsets.ISO_8859_1));
                head = null;
                filled = 0;
                return request;
            }
        }
        return null;
    }

    /** An empty line after at least one line: LF LF or LF CR LF, the request line not blank. */
    private boolean endsHead() {
        boolean blankLine = (filled >= 2 && head[filled - 2] == '\n')
                || (filled >= 3 && head[filled - 2] == '\r' && head[filled - 3] == '\n');
        return blankLine && !new String(head, 0, filled, StandardCharsets.ISO_8859_1).isBlank();
    }

    boolean hasPartialHead() {
        return filled > 0;
    }

    int bufferedBytes() {
        return head == null ? 0 : head.length;
    }

    private static HttpRequest parse(String text) throws ProtocolException {
        String[] lines = text.strip().split("\r?\n", -1);
        String[] requestLine = lines[0].split(" ", -1);
        if (requestLine.length != 3 || !isToken(requestLine[0]) || requestLine[1].isEmpty()) {
            throw badRequest("the request line must be METHOD SP TARGET SP HTTP-VERSION, e.g. GET / HTTP/1.1");
        }
        String version = requestLine[2];
        if (!version.equals("HTTP/1.1") && !version.equals("HTTP/1.0")) {
            throw badRequest("HTTP version '" + version + "' is not served: use HTTP/1.1");
        }
        String target = requestLine[1];
        if (!target.startsWith("/")) {
            throw badRequest("the request target must be a path starting with '/', e.g. GET /healthz HTTP/1.1");
        }
        int query = target.indexOf('?');
        String path = query < 0 ? target : target.substring(0, query);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            header(lines[i], headers);
        }
        if (version.equals("HTTP/1.1") && !headers.containsKey("host")) {
            throw badRequest("an HTTP/1.1 request needs a Host header");
        }
        return new HttpRequest(requestLine[0], path, version, headers);
    }

    private static void header(String line, Map<String, String> headers) throws ProtocolException {
        int colon = line.indexOf(':');
        if (colon <= 0 || !isToken(line.substring(0, colon))) {
            throw badRequest("a header line must be NAME: VALUE with no space before the colon (and no folded "
                    + "lines); got '" + printable(line) + "'");
        }
        String value = line.substring(colon + 1).strip();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                throw badRequest("a header value holds a control character");
            }
        }
        headers.merge(line.substring(0, colon).toLowerCase(Locale.ROOT), value, (a, b) -> a + ", " + b);
    }

    private static boolean isToken(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || TCHARS.indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static String printable(String line) {
        String cut = line.length() > 60 ? line.substring(0, 60) + "..." : line;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }

    private static ProtocolException badRequest(String sentence) {
        return new ProtocolException(ErrorCode.BAD_REQUEST, false, sentence);
    }
}
