package io.courier.server.support;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Users-file text for tests: entries hold the SHA-256 of each token, as the server's token command writes them. */
public final class UsersFiles {
    private UsersFiles() {
    }

    /** One user entry: {@code {"name":..., "token_sha256":..., "grants":[...]}}. */
    public static String entry(String name, String token, String... grants) {
        StringBuilder list = new StringBuilder();
        for (String grant : grants) {
            list.append(list.length() == 0 ? "" : ",").append('"').append(grant).append('"');
        }
        return "{\"name\":\"" + name + "\",\"token_sha256\":\"" + sha256Hex(token) + "\",\"grants\":[" + list + "]}";
    }

    /** A whole users file of {@code entries}. */
    public static String usersJson(String... entries) {
        return "{\"users\":[" + String.join(",", entries) + "]}";
    }

    private static String sha256Hex(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
