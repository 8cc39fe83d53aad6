package io.courier.server.rooms;

import io.courier.protocol.Message;
import io.courier.server.api.Fields;
import io.courier.server.api.RequestException;

/** The rules for room names and member names: 1 to 64 characters, not blank, no control characters. */
final class RoomNames {
    static final int MAX_LENGTH = 64;

    private RoomNames() {
    }

    /** The {@code room} field, checked. */
    static String room(Message request) {
        return check(request, "room");
    }

    /** The {@code name} field (the member's name), checked. */
    static String member(Message request) {
        return check(request, "name");
    }

    private static String check(Message request, String field) {
        String value = Fields.string(request, field);
        if (value.isBlank()) {
            throw RequestException.badRequest("\"" + field + "\" is empty; give the " + field + " a name");
        }
        int length = value.codePointCount(0, value.length());
        if (length > MAX_LENGTH) {
            throw RequestException.badRequest("\"" + field + "\" is " + length + " characters long; at most "
                    + MAX_LENGTH + " are allowed");
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw RequestException.badRequest(String.format("\"%s\" contains the control character U+%04X at "
                        + "position %d", field, (int) value.charAt(i), i));
            }
        }
        return value;
    }
}
