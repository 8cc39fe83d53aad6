package io.courier.server.guarantees;

import io.courier.protocol.Framing;
import io.courier.protocol.Message;
import io.courier.server.Server;
import io.courier.server.metrics.CloseReason;
import io.courier.server.metrics.ServerStats;
import io.courier.server.support.Frames;
import io.courier.server.support.RawClient;
import io.courier.server.support.TestServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.courier.server.support.TestServers.REPLY_TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * README, "What the server guarantees", at shutdown: the server reads no more requests; replies already queued go
 * out before {@code server.closing}; a blocking request still running gets its reply when it finishes (after the
 * notice) if that is within {@code drain-timeout}; then FIN. Requests the server had not read get no reply.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ShutdownGuaranteesTest {

    @Test
    void blockingReplyStillRunningAtShutdownFollowsTheNoticeAndUnreadRequestsGetNothing() throws Exception {
        Gate gate = new Gate();
        // max-in-flight 1: while the gate request runs, the server does not read this client, so the second ping
        // is still unread (in the kernel's buffer) when the shutdown begins.
        Server server = TestServers.start(TestServers.config().maxInFlight(1).build(), gate);
        try (RawClient client = RawClient.connect(server.port(), Framing.BINARY)) {
            client.write(Frames.concat(Frames.encode(Message.of("ping").with("id", 1), Framing.BINARY),
                    Frames.encode(Gate.request(2), Framing.BINARY)));
            assertEquals(1, client.read(REPLY_TIMEOUT).id().asLong());
            gate.awaitEntered(1, REPLY_TIMEOUT);
            client.write(Frames.encode(Message.of("ping").with("id", 3), Framing.BINARY));

            CompletableFuture<Void> stopped = CompletableFuture.runAsync(() -> server.shutdown(Duration.ofSeconds(15)));
            Message notice = client.read(REPLY_TIMEOUT);
            assertEquals("server.closing", notice.type(), notice.toString());
            assertEquals(15_000, notice.header().path("drain_timeout_ms").asLong());

            gate.open();
            List<Message> rest = client.readUntilEof(REPLY_TIMEOUT);
            assertEquals(1, rest.size(), "only the gate's reply, then FIN; got " + rest);
            assertEquals(2, rest.get(0).id().asLong());
            assertTrue(rest.get(0).isOk(), rest.get(0).toString());
            client.close();
            stopped.get(REPLY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);

            ServerStats.Snapshot last = server.stats();
            assertEquals(2, last.messagesIn(), "ping 3 was never read, so never answered: " + last);
            assertEquals(1, last.closes().get(CloseReason.SHUTDOWN), last.closes().toString());
        } finally {
            gate.open();
            server.shutdown(Duration.ZERO);
        }
    }

    @Test
    void blockingReplyThatMissesTheDrainTimeoutIsDroppedAfterTheNoticeAndTheConnectionCloses() throws Exception {
        Gate gate = new Gate();
        Server server = TestServers.start(gate);
        try (RawClient client = RawClient.connect(server.port(), Framing.BINARY)) {
            client.write(Frames.encode(Gate.request(1), Framing.BINARY));
            gate.awaitEntered(1, REPLY_TIMEOUT);

            long start = System.nanoTime();
            server.shutdown(Duration.ofMillis(300)); // the gate stays shut for the whole drain
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(tookMillis >= 250, "waited for the drain timeout, took " + tookMillis + " ms");

            List<Message> messages = client.readUntilEof(REPLY_TIMEOUT);
            assertEquals(1, messages.size(), "the notice, then the close: " + messages);
            assertEquals("server.closing", messages.get(0).type());
            assertEquals(1, server.stats().closes().get(CloseReason.SHUTDOWN));
        } finally {
            gate.open();
            server.shutdown(Duration.ZERO);
        }
    }
}
