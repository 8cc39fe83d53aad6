/**
 * TLS for non-blocking sockets: {@link io.courier.protocol.tls.TlsEngineDriver} drives one JDK {@code SSLEngine} over
 * byte buffers (records in any pieces, delegated tasks on an executor, close_notify; inside it, records out are
 * {@code TlsRecordWriter}'s and the handshake's tasks {@code TlsHandshake}'s), with the scratch buffers of one event
 * loop in {@link io.courier.protocol.tls.TlsBuffers}. The server's TLS listeners and the load client use
 * it; certificates and keys are the caller's ({@code SSLContext}).
 */
package io.courier.protocol.tls;
