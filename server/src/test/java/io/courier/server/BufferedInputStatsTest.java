package io.courier.server;

import io.courier.protocol.Framing;
import io.courier.protocol.Message;
import io.courier.server.support.Frames;
import io.courier.server.support.RawClient;
import io.courier.server.support.TestServers;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static io.courier.server.support.TestServers.REPLY_TIMEOUT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What clients make the server hold in partial messages is counted ({@code stats}: {@code buffered_bytes.input}),
 * so an operator sees it and a memory budget can be built on it: it rises while a large frame is half sent and
 * falls back to nothing when the frame completes or its sender goes.
 */
class BufferedInputStatsTest {
    @Test
    void bytesOfAHalfSentFrameAreCountedUntilItCompletesOrItsSenderLeaves() throws Exception {
        try (Server server = TestServers.start()) {
            byte[] body = new byte[256 * 1024];
            Arrays.fill(body, (byte) 7);
            byte[] frame = Frames.encode(Message.of("echo").with("id", 1).withBody(body), Framing.BINARY);
            int half = frame.length / 2;
            try (RawClient client = RawClient.connect(server.port(), Framing.BINARY)) {
                client.write(Arrays.copyOf(frame, half));
                await().atMost(REPLY_TIMEOUT).until(() -> server.stats().bufferedInputBytes() >= half - 64);
                client.write(Arrays.copyOfRange(frame, half, frame.length));
                assertArrayEquals(body, client.read(REPLY_TIMEOUT).body());
                await().atMost(REPLY_TIMEOUT).until(() -> server.stats().bufferedInputBytes() == 0);

                try (RawClient leaver = RawClient.connect(server.port(), Framing.BINARY)) {
                    leaver.write(Arrays.copyOf(frame, half));
                    await().atMost(REPLY_TIMEOUT).until(() -> server.stats().bufferedInputBytes() > 0);
                }
                await().atMost(REPLY_TIMEOUT).until(() -> server.stats().bufferedInputBytes() == 0);
                assertTrue(client.send(Message.of("ping").with("id", 2)).read(REPLY_TIMEOUT).isOk(),
                        "the first client is still served");
            }
        }
    }
}
