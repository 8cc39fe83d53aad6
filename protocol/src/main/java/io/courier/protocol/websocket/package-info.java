/**
 * WebSocket (RFC 6455) framing for Courier's messages: {@link io.courier.protocol.websocket.WebSocketDecoder}
 * turns a client's frames into messages (a text message is exactly one JSON message, a binary message exactly one
 * binary frame of PROTOCOL.md), {@link io.courier.protocol.websocket.WebSocketEncoder} writes messages and control
 * frames back. Hand-written and small; the HTTP upgrade itself lives in the server, the accept key here
 * ({@link io.courier.protocol.websocket.WebSocket#acceptKey}).
 */
package io.courier.protocol.websocket;
