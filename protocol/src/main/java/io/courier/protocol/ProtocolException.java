package io.courier.protocol;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A violation of the wire protocol, carrying the PROTOCOL.md error code and whether the byte stream is still in
 * sync. In sync means the decoder skipped exactly the offending message and will decode the next one; out of sync
 * means the connection must be closed after the error reply.
 */
public final class ProtocolException extends Exception {
    private final ErrorCode code;
    private final boolean inSync;
    private final String requestType;
    private final JsonNode requestId;

    public ProtocolException(ErrorCode code, boolean inSync, String message) {
        this(code, inSync, message, null, null);
    }

    public ProtocolException(ErrorCode code, boolean inSync, String message, String requestType, JsonNode requestId) {
        super(message, null, false, false); // no stack trace: these are expected, per-client events
        this.code = code;
        this.inSync = inSync;
        this.requestType = requestType;
        this.requestId = requestId;
    }

    public ErrorCode code() {
        return code;
    }

    /** True when the decoder skipped the bad message and the stream continues. */
    public boolean inSync() {
        return inSync;
    }

    /** The offending request's {@code type}, when it could be read; otherwise {@code null}. */
    public String requestType() {
        return requestType;
    }

    /** The offending request's {@code id}, when it could be read; otherwise {@code null}. */
    public JsonNode requestId() {
        return requestId;
    }

    /** The error reply PROTOCOL.md asks for: the request's type and id where known, {@code ok:false}. */
    public Message toReply() {
        return Message.error(requestType, requestId, code, getMessage());
    }
}
