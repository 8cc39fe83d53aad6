package io.courier.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.courier.protocol.Message;

import java.util.Locale;

/**
 * Reads typed fields of a request header, throwing a {@code bad_request} that names the field, what was expected
 * and what came, so handlers (and plugins) need not write those sentences themselves.
 */
public final class Fields {
    private Fields() {
    }

    /**
     * A required string field. A binary frame's header is read for it without building its tree; the tree is
     * built only to word the error when the field is missing or not a string.
     */
    public static String string(Message request, String field) {
        String text = request.textField(field);
        if (text != null) {
            return text;
        }
        JsonNode value = request.header().get(field);
        if (value == null || value.isNull()) {
            throw RequestException.badRequest(request.type() + " needs \"" + field + "\", a string");
        }
        if (!value.isTextual()) {
            throw RequestException.badRequest("\"" + field + "\" must be a string, got " + kind(value));
        }
        return value.textValue();
    }

    /** An optional whole number of at least {@code min}; {@code fallback} when absent. */
    public static long wholeNumber(Message request, String field, long min, long fallback) {
        JsonNode value = request.header().get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw RequestException.badRequest("\"" + field + "\" must be a whole number, got " + kind(value));
        }
        long number = value.longValue();
        if (number < min) {
            throw RequestException.badRequest("\"" + field + "\" must be " + min + " or more, got " + number);
        }
        return number;
    }

    /** An optional boolean; {@code fallback} when absent. */
    public static boolean bool(Message request, String field, boolean fallback) {
        JsonNode value = request.header().get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isBoolean()) {
            throw RequestException.badRequest("\"" + field + "\" must be true or false, got " + kind(value));
        }
        return value.booleanValue();
    }

    /** How a value reads in an error sentence: {@code the string "12"}, {@code 12.5}, {@code an object}. */
    static String kind(JsonNode value) {
        if (value.isTextual()) {
            String text = value.textValue();
            return "the string \"" + (text.length() > 40 ? text.substring(0, 40) + "..." : text) + "\"";
        }
        if (value.isNumber() || value.isBoolean()) {
            return value.asText();
        }
        if (value.isArray()) {
            return "an array";
        }
        return value.isObject() ? "an object" : value.getNodeType().toString().toLowerCase(Locale.ROOT);
    }
}
