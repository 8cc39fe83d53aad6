package io.courier.server.guarantees;

import io.courier.protocol.Framing;
import io.courier.protocol.Message;
import io.courier.protocol.client.MessageClient;
import io.courier.server.Server;
import io.courier.server.metrics.CloseReason;
import io.courier.server.metrics.ServerStats;
import io.courier.server.support.Frames;
import io.courier.server.support.RawClient;
import io.courier.server.support.TestServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.courier.server.support.TestServers.REPLY_TIMEOUT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * README, "What the server guarantees", at a reset: the replies queued for that connection are dropped (their
 * memory freed), the close is counted as a reset, and every other client goes on as if nothing happened.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ResetGuaranteesTest {

    @Test
    void resetDropsThatConnectionsQueuedRepliesAndOtherClientsDoNotNotice() throws Exception {
        byte[] body = Frames.randomBytes(64 * 1024, 7);
        byte[][] requests = new byte[32][];
        for (int i = 0; i < requests.length; i++) {
            requests[i] = Frames.binary("{\"type\":\"echo\",\"id\":" + i + "}", body);
        }
        // A small send buffer on the server's side and a small receive buffer on the client's keep the unread
        // replies in the server's write queue, where the test can see them, rather than in the kernel.
        try (Server server = TestServers.start(TestServers.config().listen("127.0.0.1:0,sndbuf=32KiB").build());
             MessageClient bystander = MessageClient.connect(new InetSocketAddress("127.0.0.1", server.port()))) {
            Socket socket = new Socket();
            try (socket) {
                socket.setReceiveBufferSize(8 * 1024);
                socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 10_000);
                resetWithRepliesQueued(server, RawClient.wrap(socket, Framing.BINARY), requests, bystander);
            }
            for (int i = 0; i < 5; i++) {
                Message echo = bystander.call(Message.of("echo").with("id", 100 + i).withBody(body), REPLY_TIMEOUT);
                assertArrayEquals(body, echo.body(), "other clients are unaffected");
            }
        }
    }

    private static void resetWithRepliesQueued(Server server, RawClient hog, byte[][] requests,
                                               MessageClient bystander) throws Exception {
        CompletableFuture<Void> writing = hog.writeInBackground(Frames.concat(requests));
        await("replies queued for a client that does not read").atMost(REPLY_TIMEOUT)
                .until(() -> server.stats().queuedReplyBytes() > 64 * 1024);
        assertTrue(bystander.call(Message.of("ping"), REPLY_TIMEOUT).isOk());

        hog.reset();
        await().atMost(REPLY_TIMEOUT).untilAsserted(() -> {
            ServerStats.Snapshot stats = server.stats();
            assertEquals(1, stats.connectionsOpen(), "only the bystander is left: " + stats);
            assertEquals(1, stats.closes().get(CloseReason.RESET), stats.closes().toString());
            assertEquals(0, stats.queuedReplyBytes(), "the dropped replies' memory is freed: " + stats);
        });
        writing.handle((written, refused) -> null).get(REPLY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }
}
