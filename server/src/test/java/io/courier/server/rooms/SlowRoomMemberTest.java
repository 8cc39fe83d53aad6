package io.courier.server.rooms;

import io.courier.protocol.Framing;
import io.courier.protocol.Message;
import io.courier.protocol.client.MessageClient;
import io.courier.server.Server;
import io.courier.server.config.ServerConfig;
import io.courier.server.metrics.CloseReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A member that never reads does not slow the room: its events pile up in its own write queue only, until the
 * slow-consumer limit closes it, while the other members keep receiving every message.
 */
@Timeout(60)
class SlowRoomMemberTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int MESSAGES = 600;

    @Test
    void memberThatNeverReadsIsClosedWhileTheOthersKeepReceiving() throws Exception {
        // Small limits so the test is quick. The read budget must stay well under slow-consumer-bytes: what one
        // speaker sends in one loop turn is queued to every member before any of them is written to.
        ServerConfig config = ServerConfig.builder().port(0).sendBufferBytes(8 * 1024)
                .readBufferBytes(16 * 1024).readBudgetBytes(16 * 1024)
                .writeLowWatermark(8 * 1024).writeHighWatermark(32 * 1024).slowConsumerBytes(1024 * 1024).build();
        // slow-consumer-bytes is the headroom of the members that do read: what the speaker pipelines in the time
        // their reader thread is off the CPU (a busy test JVM) must fit, while 600 x 4 KiB is still more than twice
        // what the member that never reads may hold.
        try (Server server = Server.builder().config(config).build().start();
             MessageClient alice = MessageClient.connect(server.localAddress());
             MessageClient bob = MessageClient.connect(server.localAddress());
             Socket slow = new Socket()) {
            Inbox aliceIn = new Inbox(alice);
            Inbox bobIn = new Inbox(bob);
            alice.call(Message.of("room.join").with("room", "busy").with("name", "alice"), WAIT);
            bob.call(Message.of("room.join").with("room", "busy").with("name", "bob"), WAIT);

            slow.setReceiveBufferSize(4 * 1024); // before connecting, so the kernel buffers little for it
            slow.connect(server.localAddress());
            ByteBuffer join = Framing.BINARY.encoder().encode(Message.of("room.join").with("room", "busy")
                    .with("name", "slow"));
            slow.getOutputStream().write(join.array(), join.arrayOffset() + join.position(), join.remaining());
            await().atMost(WAIT).until(() -> aliceIn.has(e -> e.type().equals("room.joined")
                    && e.header().path("name").asText().equals("slow")));

            byte[] payload = new byte[4096];
            List<CompletableFuture<Message>> replies = new ArrayList<>();
            for (int i = 0; i < MESSAGES; i++) {
                replies.add(alice.request(Message.of("room.say").with("room", "busy").with("text", "#" + i)
                        .withBody(payload)));
            }
            for (CompletableFuture<Message> reply : replies) {
                assertTrue(reply.get(WAIT.toMillis(), TimeUnit.MILLISECONDS).isOk());
            }
            await().atMost(WAIT).until(() -> bobIn.count("room.message") == MESSAGES);
            List<Message> received = bobIn.ofType("room.message");
            for (int i = 0; i < MESSAGES; i++) {
                assertEquals("#" + i, received.get(i).header().path("text").asText(), "in order, none lost");
            }

            // 600 x 4 KiB is far over slow-consumer-bytes: the slow member was closed and left the room.
            await().atMost(WAIT).until(() -> bobIn.has(e -> e.type().equals("room.left")
                    && e.header().path("name").asText().equals("slow")
                    && e.header().path("reason").asText().equals("disconnected")));
            assertEquals(1L, server.stats().closes().get(CloseReason.SLOW_CONSUMER));
            Message last = alice.call(Message.of("room.say").with("room", "busy").with("text", "still here"), WAIT);
            assertEquals(2, last.header().path("delivered").asInt(), last.toString());
        }
    }
}
