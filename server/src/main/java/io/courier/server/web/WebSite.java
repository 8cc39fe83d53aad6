package io.courier.server.web;

import io.courier.protocol.websocket.WebSocket;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * What every HTTP connection of a server shares: the page's files and the WebSocket origin policy, and the
 * answer to each request. {@code GET /} and the assets, {@code GET /healthz} (200 while the server serves),
 * {@code GET /ws} with {@code Upgrade: websocket} (101, or 426/400/403 with a sentence saying what was wrong);
 * other paths 404, other methods 405. HEAD is answered like GET without the body.
 */
public final class WebSite {
    static final String WEBSOCKET_PATH = "/ws";
    private static final byte[] HEALTHY = "{\"status\":\"serving\"}\n".getBytes(StandardCharsets.UTF_8);
    /** The page talks to its own server only: scripts, styles and the WebSocket from this origin. */
    private static final String CONTENT_SECURITY_POLICY = "default-src 'self'; connect-src 'self' ws: wss:; "
            + "img-src 'self' data: blob:; style-src 'self'; script-src 'self'; frame-ancestors 'none'";

    private final WebAssets assets;
    private final OriginPolicy origins;

    public WebSite(WebAssets assets, OriginPolicy origins) {
        this.assets = assets;
        this.origins = origins;
    }

    /** The answer to one request; {@link Answer#upgrade} when it became a WebSocket. */
    record Answer(byte[] bytes, boolean upgrade, boolean close) {
    }

    Answer answer(HttpRequest request) {
        boolean get = request.method().equals("GET");
        boolean head = request.method().equals("HEAD");
        String path = request.path();
        WebAssets.Asset asset = assets.find(path);
        boolean known = asset != null || path.equals("/healthz") || path.equals(WEBSOCKET_PATH);
        HttpResponse response;
        if (!known) {
            response = HttpResponse.text(404, "no page at " + printable(path) + ": try / (the page), /healthz, or "
                    + WEBSOCKET_PATH + " (WebSocket)");
        } else if (path.equals(WEBSOCKET_PATH) && get) {
            return upgrade(request);
        } else if (!get && !head) {
            response = HttpResponse.text(405, request.method() + " is not served: use GET")
                    .header("Allow", path.equals(WEBSOCKET_PATH) ? "GET" : "GET, HEAD");
        } else if (path.equals(WEBSOCKET_PATH)) {
            response = HttpResponse.text(405, "HEAD /ws is not served: open a WebSocket with GET")
                    .header("Allow", "GET");
        } else if (asset != null) {
            response = new HttpResponse(200).body(asset.contentType(), asset.bytes())
                    .header("Cache-Control", "no-cache")
                    .header("X-Content-Type-Options", "nosniff")
                    .header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        } else {
            response = new HttpResponse(200).body("application/json", HEALTHY).header("Cache-Control", "no-store");
        }
        return finish(request, response.headOnly(head));
    }

    private Answer upgrade(HttpRequest request) {
        if (!request.headerHasToken("upgrade", "websocket") || !request.headerHasToken("connection", "upgrade")) {
            return finish(request, HttpResponse.text(426, "GET /ws opens a WebSocket: send Upgrade: websocket and "
                    + "Connection: Upgrade (RFC 6455); the page is at /").header("Upgrade", "websocket"));
        }
        if (!"13".equals(request.header("sec-websocket-version"))) {
            return finish(request, HttpResponse.text(426, "WebSocket version "
                    + printable(String.valueOf(request.header("sec-websocket-version")))
                    + " is not served: send Sec-WebSocket-Version: 13").header("Sec-WebSocket-Version", "13"));
        }
        String key = request.header("sec-websocket-key");
        if (!isKey(key)) {
            return finish(request, HttpResponse.text(400, "Sec-WebSocket-Key must be 16 random bytes in base64"));
        }
        if (!request.version().equals("HTTP/1.1")) {
            return finish(request, HttpResponse.text(400, "a WebSocket upgrade needs HTTP/1.1"));
        }
        String origin = request.header("origin");
        if (!origins.allows(origin, request.header("host"))) {
            return finish(request, HttpResponse.text(403, "a WebSocket from the page at " + printable(origin)
                    + " is not allowed here: the server's own page is; list other origins in ws-allowed-origins"));
        }
        byte[] switching = new HttpResponse(101)
                .header("Upgrade", "websocket")
                .header("Connection", "Upgrade")
                .header("Sec-WebSocket-Accept", WebSocket.acceptKey(key.trim()))
                .bytes();
        return new Answer(switching, true, false);
    }

    private static Answer finish(HttpRequest request, HttpResponse response) {
        if (!request.keepAlive() || request.mayHaveBody() || !(request.method().equals("GET")
                || request.method().equals("HEAD"))) {
            response.close(); // a body we will not read would be taken for the next request
        }
        return new Answer(response.bytes(), false, response.closes());
    }

    private static boolean isKey(String key) {
        if (key == null) {
            return false;
        }
        try {
            return Base64.getDecoder().decode(key.trim()).length == 16;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String printable(String text) {
        String cut = text.length() > 80 ? text.substring(0, 80) + "..." : text;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
