package io.courier.server.cluster;

/** An error reply from Redis, or {@link #LINK_LOST} for a command whose connection closed before it answered. */
record RespError(String message) {
    static final RespError LINK_LOST = new RespError("LINK_LOST the connection to Redis closed before the reply");

    /** The first word, e.g. {@code NOSCRIPT} or {@code WRONGPASS}. */
    String code() {
        int space = message.indexOf(' ');
        return space < 0 ? message : message.substring(0, space);
    }
}
