/**
 * UDP: one endpoint per {@code udp:} listener, each datagram one request. Depends on api, config, dispatch,
 * loop and metrics.
 */
package io.courier.server.datagram;
