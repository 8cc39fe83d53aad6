package io.courier.protocol.websocket;

import io.courier.protocol.ProtocolException;

/**
 * The client broke the WebSocket protocol or sent a message that cannot be served: the connection ends with the
 * close {@link #closeCode() code} (1002 protocol error, 1007 a payload that is not what its kind says, 1009 too
 * large), after the {@link #error() error} reply.
 */
public final class WebSocketClose extends Exception {
    private final int closeCode;
    private final ProtocolException error;

    public WebSocketClose(int closeCode, ProtocolException error) {
        super(error.getMessage(), null, false, false); // expected, per-client: no stack trace
        this.closeCode = closeCode;
        this.error = error;
    }

    public int closeCode() {
        return closeCode;
    }

    /** The error reply to send before the close frame. */
    public ProtocolException error() {
        return error;
    }
}
