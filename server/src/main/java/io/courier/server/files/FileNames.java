package io.courier.server.files;

import io.courier.protocol.Message;
import io.courier.server.api.Fields;
import io.courier.server.api.RequestException;

import java.nio.charset.StandardCharsets;

/**
 * The rules for a file name: a plain name inside the files directory, never a path. Each rule broken gets a
 * {@code bad_request} that says which one, so a client can fix the name rather than guess.
 */
public final class FileNames {
    /** Leaves room for the partial upload's name ({@code .NAME.part}) under the usual 255-byte file name limit. */
    public static final int MAX_NAME_BYTES = 200;

    private FileNames() {
    }

    /** The validated {@code name} field of a request. */
    public static String require(Message request) {
        return check(Fields.string(request, "name"));
    }

    /** Returns {@code name} if it is a valid file name; otherwise throws a {@code bad_request} naming the rule. */
    public static String check(String name) {
        if (name.isEmpty()) {
            throw bad(name, "is empty");
        }
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_NAME_BYTES) {
            throw bad(name, "is " + bytes + " bytes long in UTF-8; at most " + MAX_NAME_BYTES + " are allowed");
        }
        if (name.startsWith("/") || name.startsWith("\\") || (name.length() >= 2 && name.charAt(1) == ':'
                && Character.isLetter(name.charAt(0)))) {
            throw bad(name, "is an absolute path; send a plain file name such as \"report.pdf\"");
        }
        if (name.equals("..") || name.startsWith("../") || name.startsWith("..\\") || name.endsWith("/..")
                || name.endsWith("\\..") || name.contains("/../") || name.contains("\\..\\")) {
            throw bad(name, "refers to a parent directory (\"..\"); files live in one directory");
        }
        if (name.indexOf('/') >= 0 || name.indexOf('\\') >= 0) {
            throw bad(name, "contains a path separator ('/' or '\\'); directories are not supported");
        }
        if (name.startsWith(".")) {
            throw bad(name, "starts with '.'; such names are reserved for hidden and partial files");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
                throw bad(name, String.format("contains the control character U+%04X at position %d", (int) c, i));
            }
            if (Character.isHighSurrogate(c) && i + 1 < name.length() && Character.isLowSurrogate(name.charAt(i + 1))) {
                i++; // a whole supplementary character, e.g. an emoji
            } else if (Character.isSurrogate(c)) {
                throw bad(name, "contains a lone UTF-16 surrogate at position " + i);
            }
        }
        return name;
    }

    private static RequestException bad(String name, String why) {
        String shown = name.codePointCount(0, name.length()) > 60
                ? name.substring(0, name.offsetByCodePoints(0, 60)) + "..." : name;
        StringBuilder printable = new StringBuilder();
        shown.codePoints().forEach(cp -> {
            if (Character.isISOControl(cp)) {
                printable.append(String.format("\\u%04x", cp));
            } else {
                printable.appendCodePoint(cp);
            }
        });
        return RequestException.badRequest("file name \"" + printable + "\" " + why);
    }
}
