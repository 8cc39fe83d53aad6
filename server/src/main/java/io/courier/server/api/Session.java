package io.courier.server.api;

import io.courier.protocol.Message;

import java.net.SocketAddress;

/** One client's connection as a handler sees it. Safe to use from any thread. */
public interface Session {
    /** A number unique within this server run, as it appears in the logs. */
    long id();

    /** The transport, e.g. {@code "tcp"}, {@code "unix"} or {@code "udp"}: for logs and listings. */
    String transport();

    /**
     * True when this session is a lasting connection whose end the server notices ({@link #onClose} runs when
     * the client goes), so state can be tied to it: room membership, an upload in progress. False for a UDP
     * datagram, a session of its own that never ends. Ask this rather than comparing {@link #transport()} names.
     */
    boolean isConnection();

    SocketAddress remoteAddress();

    /**
     * Who the connection's transport proved the client to be, or null: the subject CN of the client certificate
     * a mutual-TLS handshake verified. Null on plain TCP, Unix sockets and UDP, and before or without a certificate.
     */
    default String peerIdentity() {
        return null;
    }

    SocketAddress localAddress();

    /** Pushes a server event (a message without {@code ok}) to this client, after replies already queued. */
    void send(Message event);

    /** Closes the connection once every reply queued before this call has been written. */
    void close();

    boolean isOpen();

    /**
     * Runs {@code callback} on the event loop when this session ends (client gone, timeout, shutdown...), so
     * handlers can forget it (leave rooms, drop partial uploads). At once if it has already ended.
     */
    void onClose(Runnable callback);

    /** A value a handler stored on this session, or {@code null}. */
    Object attribute(String key);

    /** Stores a value on this session for later requests; {@code null} removes it. */
    void attribute(String key, Object value);
}
