/**
 * TLS for stream listeners ({@code tls:HOST:PORT}): the key, certificate and client-CA files
 * ({@link io.courier.server.tls.TlsContext}, reloadable through {@link io.courier.server.tls.TlsContextHolder}), a
 * driver for the JDK's {@code SSLEngine} on a non-blocking socket ({@link io.courier.server.tls.TlsEngineDriver}),
 * and the transport that puts it under the framing ({@link io.courier.server.tls.TlsTransportFactory}). Depends on
 * transport and metrics only.
 */
package io.courier.server.tls;
