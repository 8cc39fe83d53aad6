package io.courier.server.auth;

import java.util.regex.Pattern;

/**
 * One permission: {@code TYPE[:RESOURCE]}, each part a glob where {@code *} matches any run of characters. The
 * resource is the {@code room} of a {@code room.*} request and the {@code name} of a {@code file.*} request. A grant
 * without {@code :} covers every resource of its types, and requests that name none ({@code file.list}); a grant
 * with a resource covers only requests naming a matching one. {@code *} alone grants everything.
 */
record Grant(String text, Pattern type, Pattern resource) {

    static Grant parse(String text) {
        if (text == null || text.isBlank() || text.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("a grant is TYPE[:RESOURCE] with * as a wildcard, such as "
                    + "\"room.*:public.*\" or \"echo\", got \"" + text + "\"");
        }
        int colon = text.indexOf(':');
        String type = colon < 0 ? text : text.substring(0, colon);
        String resource = colon < 0 ? null : text.substring(colon + 1);
        if (type.isEmpty() || (resource != null && resource.isEmpty())) {
            throw new IllegalArgumentException("a grant needs a type before ':' and a resource after it, got \""
                    + text + "\"");
        }
        return new Grant(text, glob(type), resource == null ? null : glob(resource));
    }

    /** Whether this grant covers a request of {@code type} naming {@code resource} (null: it names none). */
    boolean covers(String type, String resource) {
        if (!this.type.matcher(type).matches()) {
            return false;
        }
        return this.resource == null || (resource != null && this.resource.matcher(resource).matches());
    }

    private static Pattern glob(String glob) {
        StringBuilder regex = new StringBuilder();
        String[] literals = glob.split("\\*", -1); // "a*b*" -> ["a", "b", ""]: a wildcard between each two
        for (int i = 0; i < literals.length; i++) {
            if (i > 0) {
                regex.append(".*");
            }
            if (!literals[i].isEmpty()) {
                regex.append(Pattern.quote(literals[i]));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    @Override
    public String toString() {
        return text;
    }
}
