package io.courier.server.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The users file, read once: {@code {"users": [{"name": "alice", "token_sha256": "<hex>", "grants": [...]}]}}.
 * Immutable, so a reload swaps in a new one while requests in flight keep reading the old.
 */
public final class Users {
    private static final HexFormat HEX = HexFormat.of();
    private final List<User> users;
    private final Map<String, User> byName;

    private Users(List<User> users) {
        this.users = List.copyOf(users);
        this.byName = new HashMap<>();
        users.forEach(user -> byName.put(user.name(), user));
    }

    /**
     * @throws IllegalArgumentException one sentence naming the file and what is wrong in it
     */
    public static Users load(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("users file " + file + ": no such file");
        } catch (AccessDeniedException e) {
            throw new IllegalArgumentException("users file " + file + ": permission denied");
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("users file " + file + " is not valid JSON (line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
        } catch (IOException e) {
            throw new IllegalArgumentException("users file " + file + " cannot be read: " + e.getMessage());
        }
        JsonNode list = root == null ? null : root.get("users");
        if (list == null || !list.isArray()) {
            throw new IllegalArgumentException("users file " + file + " must hold {\"users\": [...]}");
        }
        List<User> users = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<String> hashes = new HashSet<>();
        for (JsonNode entry : list) {
            User user = user(file, entry);
            if (!names.add(user.name())) {
                throw new IllegalArgumentException("users file " + file + " names user \"" + user.name()
                        + "\" twice");
            }
            if (!hashes.add(HEX.formatHex(user.tokenSha256()))) {
                throw new IllegalArgumentException("users file " + file + ": user \"" + user.name()
                        + "\" has the same token as another user; give each user its own");
            }
            users.add(user);
        }
        return new Users(users);
    }

    private static User user(Path file, JsonNode entry) {
        String name = entry.path("name").asText("");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("users file " + file + ": every user needs a \"name\"");
        }
        String where = "users file " + file + ", user \"" + name + "\"";
        String hash = entry.path("token_sha256").asText("");
        byte[] digest;
        try {
            digest = HEX.parseHex(hash);
        } catch (IllegalArgumentException e) {
            digest = new byte[0];
        }
        if (digest.length != 32) {
            throw new IllegalArgumentException(where + ": token_sha256 must be 64 hex digits (the SHA-256 of the "
                    + "token; java -jar server.jar token NAME makes one)");
        }
        JsonNode grants = entry.path("grants");
        if (!grants.isArray()) {
            throw new IllegalArgumentException(where + ": \"grants\" must be a list such as [\"room.*\", \"echo\"]");
        }
        List<Grant> parsed = new ArrayList<>();
        for (JsonNode grant : grants) {
            try {
                parsed.add(Grant.parse(grant.asText(null)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": " + e.getMessage());
            }
        }
        return new User(name, digest, List.copyOf(parsed));
    }

    /**
     * The user whose token this is, or null. Every user's hash is compared, each in constant time, so how long
     * it takes says nothing about which user, or how much of a hash, matched.
     */
    User byToken(String token) {
        byte[] digest = sha256(token);
        User found = null;
        for (User user : users) {
            if (MessageDigest.isEqual(digest, user.tokenSha256())) {
                found = user;
            }
        }
        return found;
    }

    User byName(String name) {
        return byName.get(name);
    }

    public int size() {
        return users.size();
    }

    static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }
}
