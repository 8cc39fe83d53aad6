package io.courier.server.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The Lua scripts that change cluster state, each atomic in Redis (resources next to this class, with
 * {@code common.lua} in front of each). Loaded with SCRIPT LOAD when a connection starts, then run by SHA1, so a
 * busy room sends its message, not the script, each time.
 */
enum Script {
    JOIN("join.lua"),
    SAY("say.lua"),
    LEAVE("leave.lua"),
    HEARTBEAT("heartbeat.lua"),
    REAP("reap.lua"),
    BYE("bye.lua"),
    PRUNE("prune.lua"),
    SYNC("sync.lua");

    final String source;
    final String sha1;

    Script(String file) {
        this.source = read("common.lua") + "\n" + read(file);
        this.sha1 = sha1(source);
    }

    private static String read(String file) {
        try (InputStream in = Script.class.getResourceAsStream(file)) {
            if (in == null) {
                throw new IllegalStateException("the server jar lacks " + file);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha1(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
            StringBuilder hex = new StringBuilder();
            for (byte b : digest) {
                hex.append(String.format("%02x", b));
            }
            return hex.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
