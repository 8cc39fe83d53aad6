/**
 * HTTP/1.1 and WebSocket on every stream listener, chosen by the first byte like the two framings: a connection
 * whose first byte starts an HTTP method gets a {@link io.courier.server.web.WebConnection}. It serves the
 * built-in page and its assets ({@link io.courier.server.web.WebAssets}, inside the jar), {@code /healthz}, and
 * upgrades {@code GET /ws} to a WebSocket whose messages are Courier messages (the codec is protocol's
 * {@code io.courier.protocol.websocket}). Message handling is the same code as for every framing: the connection
 * hands decoded messages to its sink and encodes what comes back.
 */
package io.courier.server.web;
