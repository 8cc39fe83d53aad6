package io.courier.server;

import io.courier.protocol.Framing;
import io.courier.protocol.Message;
import io.courier.server.support.Frames;
import io.courier.server.support.NoErrorLogged;
import io.courier.server.support.RawClient;
import io.courier.server.support.TestServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.courier.server.support.TestServers.REPLY_TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What goes in comes back bit for bit: big binary bodies, and text in any script, in both framings. */
@ExtendWith(NoErrorLogged.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PayloadIntegrityTest {
    private static final String MIXED_SCRIPT = "你好，世界！消息服务器 🚀 café naïve Ωmega \u0000 \"quoted\" \\ tab\t";

    private Server server;

    @BeforeEach
    void startServer() throws Exception {
        server = TestServers.start();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void eightMebibyteBinaryBodyEchoesWithTheSameSha256() throws Exception {
        byte[] body = Frames.randomBytes(8 << 20, 8);
        String sentDigest = sha256(body);
        byte[] frame = Frames.binary("{\"type\":\"echo\",\"id\":\"big\",\"sha256\":\"" + sentDigest + "\"}", body);
        try (RawClient client = RawClient.connect(server.port(), Framing.BINARY)) {
            CompletableFuture<Void> writing = client.writeInBackground(frame);
            Message reply = client.read(Duration.ofSeconds(30));
            writing.get(10, TimeUnit.SECONDS);
            assertTrue(reply.isOk(), reply.toString());
            assertEquals("big", reply.id().asText());
            assertEquals(body.length, reply.bodyLength());
            assertEquals(sentDigest, sha256(reply.body()), "the echoed body differs from the one sent");
            assertEquals(sentDigest, reply.header().path("sha256").asText());

            // The connection is still in step after 8 MiB: a small request right behind it works.
            client.send(Frames.echo(2, "after"));
            assertEquals("after", client.read(REPLY_TIMEOUT).header().path("text").asText());
        }
    }

    @ParameterizedTest
    @EnumSource(Framing.class)
    void chineseTextAndEmojiEchoIntactInHeaderAndBody(Framing framing) throws Exception {
        byte[] utf8Body = Frames.utf8(MIXED_SCRIPT);
        Message request = Message.of("echo").with("id", 1).with("text", MIXED_SCRIPT)
                .with("键", "值 🔑").withBody(utf8Body);
        try (RawClient client = RawClient.connect(server.port(), framing)) {
            client.send(request);
            Message reply = client.read(REPLY_TIMEOUT);
            assertTrue(reply.isOk(), reply.toString());
            assertEquals(MIXED_SCRIPT, reply.header().path("text").asText());
            assertEquals("值 🔑", reply.header().path("键").asText(), "non-ASCII field names survive too");
            assertArrayEquals(utf8Body, reply.body());
        }
    }

    @Test
    void handWrittenUtf8JsonTextEchoesTheSameCharacters() throws Exception {
        // Written as a person (or Python) would: raw UTF-8 in the JSON text, one escaped emoji as a surrogate pair.
        String request = "{\"type\":\"echo\",\"id\":5,\"text\":\"你好 🙂\",\"escaped\":\"\\ud83d\\ude80\"}\n";
        try (RawClient client = RawClient.connect(server.port(), Framing.JSON_TEXT)) {
            client.write(Frames.utf8(request));
            Message reply = client.read(REPLY_TIMEOUT);
            assertEquals("你好 🙂", reply.header().path("text").asText());
            assertEquals("🚀", reply.header().path("escaped").asText());
        }
    }

    @Test
    void binaryBodiesOfManySizesEchoInOrderOnOneConnection() throws Exception {
        // Sizes around the encoder's copy/share threshold and the server's 64 KiB read buffer.
        int[] sizes = {0, 1, 4095, 4096, 4097, 65_535, 65_536, 65_537, 300_000};
        try (RawClient client = RawClient.connect(server.port(), Framing.BINARY)) {
            byte[][] bodies = new byte[sizes.length][];
            byte[][] frames = new byte[sizes.length][];
            for (int i = 0; i < sizes.length; i++) {
                bodies[i] = Frames.randomBytes(sizes[i], i);
                frames[i] = Frames.binary("{\"type\":\"echo\",\"id\":" + i + "}", bodies[i]);
            }
            byte[] all = Frames.concat(frames);
            CompletableFuture<Void> writing = client.writeInBackground(all);
            List<Message> replies = client.read(sizes.length, REPLY_TIMEOUT);
            writing.get(10, TimeUnit.SECONDS);
            for (int i = 0; i < sizes.length; i++) {
                assertEquals(i, replies.get(i).id().asLong());
                assertArrayEquals(bodies[i], replies.get(i).body(), "body of " + sizes[i] + " bytes");
            }
        }
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
