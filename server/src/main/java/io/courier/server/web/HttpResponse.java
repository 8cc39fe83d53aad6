package io.courier.server.web;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** An HTTP/1.1 response being built: status, headers and body, written out as one byte array. */
final class HttpResponse {
    private final int status;
    private final List<String> headers = new ArrayList<>();
    private byte[] body = new byte[0];
    private boolean close;
    private boolean headOnly;

    HttpResponse(int status) {
        this.status = status;
    }

    static HttpResponse text(int status, String sentence) {
        return new HttpResponse(status).body("text/plain; charset=utf-8",
                (sentence + "\n").getBytes(StandardCharsets.UTF_8));
    }

    HttpResponse header(String name, String value) {
        headers.add(name + ": " + value);
        return this;
    }

    HttpResponse body(String contentType, byte[] bytes) {
        header("Content-Type", contentType);
        body = bytes;
        return this;
    }

    /** Ends the connection after this response. */
    HttpResponse close() {
        close = true;
        return this;
    }

    boolean closes() {
        return close;
    }

    /** A response to HEAD: the same headers, Content-Length included, no body. */
    HttpResponse headOnly(boolean value) {
        headOnly = value;
        return this;
    }

    byte[] bytes() {
        StringBuilder head = new StringBuilder(256);
        head.append("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
        for (String header : headers) {
            head.append(header).append("\r\n");
        }
        if (status != 101) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
            head.append("Connection: ").append(close ? "close" : "keep-alive").append("\r\n");
        }
        head.append("\r\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream(head.length() + body.length);
        out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (!headOnly) {
            out.writeBytes(body);
        }
        return out.toByteArray();
    }

    static String reason(int status) {
        switch (status) {
            case 101: return "Switching Protocols";
            case 200: return "OK";
            case 400: return "Bad Request";
            case 403: return "Forbidden";
            case 404: return "Not Found";
            case 405: return "Method Not Allowed";
            case 408: return "Request Timeout";
            case 426: return "Upgrade Required";
            case 431: return "Request Header Fields Too Large";
            case 503: return "Service Unavailable";
            default: return "Internal Server Error";
        }
    }
}
