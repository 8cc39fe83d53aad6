package io.courier.server.files;

import io.courier.protocol.Message;
import io.courier.protocol.client.MessageClient;
import io.courier.server.Server;
import io.courier.server.config.ServerConfig;
import io.courier.server.config.ServerConfigBuilder;

import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;

/** Shared helpers of the file tests: a server over a temporary directory and one-line requests. */
final class FileTestSupport {
    static final Duration WAIT = Duration.ofSeconds(10);

    private FileTestSupport() {
    }

    static Server start(Path dir, UnaryOperator<ServerConfigBuilder> settings) throws IOException {
        ServerConfig config = settings.apply(ServerConfig.builder().port(0).filesDir(dir)).build();
        return Server.builder().config(config).build().start();
    }

    static Message chunk(String name, long offset, boolean last, byte[] bytes) {
        return Message.of("file.put").with("name", name).with("offset", offset).with("last", last).withBody(bytes);
    }

    static Message put(MessageClient client, String name, long offset, boolean last, byte[] bytes)
            throws IOException, TimeoutException {
        return client.call(chunk(name, offset, last, bytes), WAIT);
    }

    static Message call(MessageClient client, String type, String name) throws IOException, TimeoutException {
        return client.call(Message.of(type).with("name", name), WAIT);
    }

    /** Uploads {@code bytes} in chunks of {@code chunkSize}, waiting for each reply; returns the receipt. */
    static Message upload(MessageClient client, String name, byte[] bytes, int chunkSize)
            throws IOException, TimeoutException {
        Message reply = null;
        int offset = 0;
        do {
            int n = Math.min(chunkSize, bytes.length - offset);
            byte[] part = java.util.Arrays.copyOfRange(bytes, offset, offset + n);
            reply = put(client, name, offset, offset + n == bytes.length, part);
            if (!reply.isOk()) {
                return reply;
            }
            offset += n;
        } while (offset < bytes.length);
        return reply;
    }

    static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
