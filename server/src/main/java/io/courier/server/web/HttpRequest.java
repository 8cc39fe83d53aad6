package io.courier.server.web;

import java.util.Locale;
import java.util.Map;

/**
 * One parsed HTTP/1.x request head.
 *
 * @param method  the method as sent ({@code GET})
 * @param path    the request target without its query ({@code /ws})
 * @param version {@code HTTP/1.1} or {@code HTTP/1.0}
 * @param headers header values by lower-case name; repeated headers joined with {@code ", "}
 */
record HttpRequest(String method, String path, String version, Map<String, String> headers) {
    String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** True when a comma-separated header (Connection, Upgrade) lists {@code token}, in any case. */
    boolean headerHasToken(String name, String token) {
        String value = header(name);
        if (value == null) {
            return false;
        }
        for (String part : value.split(",")) {
            if (part.trim().equalsIgnoreCase(token)) {
                return true;
            }
        }
        return false;
    }

    /** HTTP/1.1 keeps the connection open unless the client says close; HTTP/1.0 closes. */
    boolean keepAlive() {
        return version.equals("HTTP/1.1") && !headerHasToken("connection", "close");
    }

    /** True when a body may follow the head (we never read one: the connection closes after the answer). */
    boolean mayHaveBody() {
        String length = header("content-length");
        return header("transfer-encoding") != null || (length != null && !length.trim().equals("0"));
    }
}
