package io.courier.server.stream;

/** Where a {@link Connection} is in its life; it only ever moves down this list, except PAUSED back to READING. */
enum ConnectionState {
    /** Read as input arrives. */
    READING,
    /** Not read for now: too many unsent reply bytes, or too many blocking requests in flight. */
    PAUSED,
    /** Not read any more; closes once every queued reply is written. */
    CLOSING,
    /** Everything written and FIN sent; discarding input until the client closes too. */
    LINGERING,
    /** Gone: the socket is closed and the queue dropped. */
    CLOSED
}
