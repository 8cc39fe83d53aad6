package io.courier.server.guarantees;

import io.courier.protocol.Framing;
import io.courier.protocol.Message;
import io.courier.server.Server;
import io.courier.server.metrics.CloseReason;
import io.courier.server.support.Frames;
import io.courier.server.support.RawClient;
import io.courier.server.support.TestServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.courier.server.support.TestServers.REPLY_TIMEOUT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * README, "What the server guarantees", at a half-close (the client shuts its output): every request sent before
 * it gets its reply, blocking ones included, then the server closes.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HalfCloseGuaranteesTest {
    private static final int CHUNK = 64 * 1024;
    private static final int CHUNKS = 8;

    @Test
    void blockingRequestStillRunningAtTheHalfCloseIsAnsweredBeforeTheClose() throws Exception {
        Gate gate = new Gate();
        try (Server server = TestServers.start(gate);
             RawClient client = RawClient.connect(server.port(), Framing.BINARY)) {
            client.write(Frames.concat(Frames.encode(Gate.request(1), Framing.BINARY),
                    Frames.encode(Frames.echo(2, "before the half-close"), Framing.BINARY)));
            client.shutdownOutput();
            assertEquals(2, client.read(REPLY_TIMEOUT).id().asLong());
            gate.awaitEntered(1, REPLY_TIMEOUT);
            assertEquals(1, server.stats().connectionsOpen(), "held open for the blocking reply still due");

            gate.open();
            List<Message> rest = client.readUntilEof(REPLY_TIMEOUT);
            assertEquals(1, rest.size(), rest.toString());
            assertEquals(1, rest.get(0).id().asLong());
            await().atMost(REPLY_TIMEOUT).untilAsserted(() -> {
                assertEquals(0, server.stats().connectionsOpen());
                assertEquals(1, server.stats().closes().get(CloseReason.CLIENT_CLOSED));
            });
        } finally {
            gate.open();
        }
    }

    @ParameterizedTest
    @EnumSource(Framing.class)
    void uploadSentWholeThenHalfClosedGetsEveryChunkReplyAndTheReceipt(Framing framing, @TempDir Path files)
            throws Exception {
        byte[] content = Frames.randomBytes(CHUNK * CHUNKS - 100, 42);
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        ByteArrayOutputStream upload = new ByteArrayOutputStream();
        for (int i = 0; i < CHUNKS; i++) {
            int from = i * CHUNK;
            int to = Math.min(content.length, from + CHUNK);
            Message chunk = Message.of("file.put").with("id", i + 1).with("name", "whole.bin").with("offset", from)
                    .with("last", i == CHUNKS - 1).withBody(Arrays.copyOfRange(content, from, to));
            if (i == 0) {
                chunk.with("sha256", sha256);
            }
            upload.writeBytes(Frames.encode(chunk, framing));
        }
        try (Server server = TestServers.start(TestServers.config().filesDir(files).build());
             RawClient client = RawClient.connect(server.port(), framing)) {
            client.write(upload.toByteArray());
            client.shutdownOutput();
            List<Message> replies = client.readUntilEof(REPLY_TIMEOUT);

            assertEquals(CHUNKS, replies.size(), replies.toString());
            for (int i = 0; i < CHUNKS; i++) {
                Message reply = replies.get(i);
                assertTrue(reply.isOk(), reply.toString());
                assertEquals(i + 1, reply.id().asLong(), "chunk replies in order");
                assertEquals(Math.min(content.length, (i + 1) * CHUNK), reply.header().path("stored").asLong());
            }
            Message receipt = replies.get(CHUNKS - 1);
            assertTrue(receipt.header().path("complete").asBoolean(), receipt.toString());
            assertEquals(content.length, receipt.header().path("size").asLong());
            assertEquals(sha256, receipt.header().path("sha256").asText());
            assertArrayEquals(content, Files.readAllBytes(files.resolve("whole.bin")));
        }
    }
}
