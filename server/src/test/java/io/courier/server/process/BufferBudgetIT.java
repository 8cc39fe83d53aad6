package io.courier.server.process;

import io.courier.protocol.Framing;
import io.courier.protocol.Message;
import io.courier.server.support.JarProcess;
import io.courier.server.support.Frames;
import io.courier.server.support.RawClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.courier.server.support.TestServers.REPLY_TIMEOUT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The attack the buffer budget answers, against the packaged server in a small heap: 26 connections each send most
 * of a 16 MiB frame (the default max-body-bytes), 416 MiB in all against a 128 MiB heap. Without the budget the
 * event loop died of OutOfMemoryError; with it the biggest holders are closed and a normal client is served.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BufferBudgetIT {
    private static final int ATTACKERS = 26;

    @Test
    void manyConnectionsEachHoldingMostOfAHugeFrameCannotExhaustTheHeap() throws Exception {
        try (JarProcess server = JarProcess.start(List.of("-Xmx128m"), Map.of(), "--port", "0",
                "--frame-timeout", "60s")) {
            int port = server.awaitListeningPort();
            byte[] frame = Frames.encode(Message.of("echo").with("id", 1).withBody(new byte[16 << 20]),
                    Framing.BINARY);
            byte[] mostOfIt = Arrays.copyOf(frame, frame.length - 4096);
            List<RawClient> attackers = new ArrayList<>();
            List<CompletableFuture<Void>> sends = new ArrayList<>();
            try (RawClient normal = RawClient.connect(port, Framing.JSON_TEXT)) {
                for (int i = 0; i < ATTACKERS; i++) {
                    RawClient attacker = RawClient.connect(port, Framing.BINARY);
                    attackers.add(attacker);
                    sends.add(attacker.writeInBackground(mostOfIt).exceptionally(e -> null));
                }
                await().atMost(REPLY_TIMEOUT.multipliedBy(6)).until(() -> sends.stream().allMatch(
                        CompletableFuture::isDone));
                assertTrue(server.process().isAlive(), "the server survived: " + server.describe());
                Message pong = normal.send(Message.of("ping").with("id", 1)).read(REPLY_TIMEOUT);
                assertTrue(pong.isOk(), pong.toString());
                assertTrue(server.stdout().contains("over max-buffered-bytes"), "the policy is logged:\n"
                        + server.stdout());
                assertTrue(!server.stdout().contains("OutOfMemoryError") && !server.stderr()
                        .contains("OutOfMemoryError"), server.describe());
            } finally {
                for (RawClient attacker : attackers) {
                    attacker.close();
                }
            }
        }
    }
}
