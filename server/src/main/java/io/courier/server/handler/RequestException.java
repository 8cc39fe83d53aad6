package io.courier.server.handler;

import io.courier.protocol.ErrorCode;

/** Thrown by a handler to reject a request with a protocol error code and a sentence the client can act on. */
public final class RequestException extends RuntimeException {
    private final ErrorCode code;

    public RequestException(ErrorCode code, String sentence) {
        super(sentence, null, false, false);
        this.code = code;
    }

    /** A {@code bad_request} error. */
    public static RequestException badRequest(String sentence) {
        return new RequestException(ErrorCode.BAD_REQUEST, sentence);
    }

    public ErrorCode code() {
        return code;
    }
}
