package io.courier.server.auth;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.courier.protocol.Json;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

/**
 * {@code java -jar server.jar token NAME [GRANT...]}: a new random token (256 bits, URL-safe Base64) and the users
 * file entry that holds its SHA-256, never the token itself. The token is shown once; the file keeps only the hash.
 */
public final class TokenCommand {
    private static final SecureRandom RANDOM = new SecureRandom();

    private TokenCommand() {
    }

    /** The text to print; {@code IllegalArgumentException} for a wrong name or grant. */
    public static String run(List<String> args) {
        if (args.isEmpty() || args.get(0).isBlank() || args.get(0).startsWith("-")) {
            throw new IllegalArgumentException("usage: token NAME [GRANT...], e.g. token alice 'room.*:public.*' "
                    + "'file.get:*' echo");
        }
        String name = args.get(0);
        List<String> grants = args.subList(1, args.size());
        grants.forEach(Grant::parse);
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        ObjectNode entry = Json.NODES.objectNode().put("name", name)
                .put("token_sha256", Users.hex(Users.sha256(token)));
        ArrayNode list = entry.putArray("grants");
        grants.forEach(list::add);
        return "token for " + name + " (give it to the user; it is not stored anywhere):\n" + token + "\n\n"
                + "users file entry (add it to the \"users\" list):\n" + entry + "\n";
    }
}
