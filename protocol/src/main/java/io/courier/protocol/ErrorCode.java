package io.courier.protocol;

/**
 * The error codes of PROTOCOL.md, each with its wire name. Whether a connection survives an error depends on where
 * it arises (a stream out of sync closes), not on the code alone: PROTOCOL.md says which.
 */
public enum ErrorCode {
    /** Header not a JSON object, {@code type} missing or not a string, or a field a handler needs is wrong. */
    BAD_REQUEST("bad_request"),
    /** No handler for the message's type; the reply lists the known types in {@code options}. */
    UNKNOWN_TYPE("unknown_type"),
    /** A frame's header or body is over its limit. Binary framing skips the frame; JSON text closes. */
    TOO_LARGE("too_large"),
    /** Bytes that cannot be parsed: the stream cannot be resynchronised, so the connection closes. */
    MALFORMED("malformed"),
    /** The first byte starts no framing. */
    UNKNOWN_PROTOCOL("unknown_protocol"),
    /** The handler threw; the message names no internals. */
    HANDLER_FAILED("handler_failed"),
    /** At the connection limit (then closed), or every worker busy and the queue full (the connection stays). */
    BUSY("busy"),
    /** Idle (or a partial frame) for longer than the configured timeout. */
    TIMEOUT("timeout"),
    /** A handler found nothing by the name the request gave (a file that does not exist). */
    NOT_FOUND("not_found"),
    /** The request clashes with work another connection is doing (two uploads to one file name). */
    CONFLICT("conflict"),
    /** The data the server received does not hash to the checksum the client sent; nothing was kept. */
    CHECKSUM_MISMATCH("checksum_mismatch"),
    /** A configured quota would be exceeded (a file's size, the total size of stored files). */
    LIMIT_EXCEEDED("limit_exceeded"),
    /** The connection has not authenticated (or its user is gone), or an {@code auth} token was wrong. */
    UNAUTHORIZED("unauthorized"),
    /** The authenticated user has no grant that covers this type and resource. */
    FORBIDDEN("forbidden");

    private final String wireName;

    ErrorCode(String wireName) {
        this.wireName = wireName;
    }

    /** The code as it appears in {@code error.code} on the wire. */
    public String wireName() {
        return wireName;
    }

    /** The code for a wire name, or {@code null} when the name is not one of ours. */
    public static ErrorCode fromWireName(String name) {
        for (ErrorCode code : values()) {
            if (code.wireName.equals(name)) {
                return code;
            }
        }
        return null;
    }
}
