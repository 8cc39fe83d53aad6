/**
 * The byte-transport seam under a stream connection's framing: {@link io.courier.server.transport.Transport}
 * (read application bytes, write application bytes, bytes of its own to flush, shut down, discard while
 * lingering) and the {@link io.courier.server.transport.TransportFactory} a listener opens each connection's
 * transport with. Plain TCP and Unix sockets use {@link io.courier.server.transport.PlainTransport}; TLS stacks an
 * {@code SSLEngine} here without the framing or message handling knowing. Depends on nothing else in the server.
 */
package io.courier.server.transport;
