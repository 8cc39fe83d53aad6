package io.courier.server.cluster;

import java.io.IOException;

/** Bytes from Redis that are not RESP: the connection cannot be trusted further and is closed. */
final class RespException extends IOException {
    RespException(String message) {
        super(message);
    }
}
