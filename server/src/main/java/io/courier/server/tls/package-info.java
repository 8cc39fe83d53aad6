/**
 * TLS for stream listeners ({@code tls:HOST:PORT}): the key, certificate and client-CA files
 * ({@link io.courier.server.tls.TlsContext}, reloadable through {@link io.courier.server.tls.TlsContextHolder}), the
 * client certificate's name, and the transport that puts the protocol module's SSLEngine driver
 * ({@code io.courier.protocol.tls}) under the framing ({@link io.courier.server.tls.TlsTransportFactory}). Depends on
 * transport and metrics only.
 */
package io.courier.server.tls;
