package io.courier.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.courier.protocol.ErrorCode;
import io.courier.protocol.Json;

/**
 * Thrown by a handler to reject a request with a protocol error code and a sentence the client can act on.
 * Fields added with {@link #with} travel next to {@code code} and {@code message} in the reply's {@code error}
 * object, for values a program should not have to parse out of the sentence (an expected offset, a limit).
 */
public final class RequestException extends RuntimeException {
    private final ErrorCode code;
    private ObjectNode details;

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

    /** Adds a field to the reply's {@code error} object; {@code code} and {@code message} cannot be replaced. */
    public RequestException with(String field, long value) {
        return with(field, Json.NODES.numberNode(value));
    }

    public RequestException with(String field, String value) {
        return with(field, Json.NODES.textNode(value));
    }

    public RequestException with(String field, JsonNode value) {
        if (field.equals("code") || field.equals("message")) {
            throw new IllegalArgumentException("\"" + field + "\" is set by the code and sentence");
        }
        if (details == null) {
            details = Json.NODES.objectNode();
        }
        details.set(field, value);
        return this;
    }

    /** The extra fields of the error object, or {@code null}. */
    public ObjectNode details() {
        return details;
    }
}
