package io.courier.server.guarantees;

import io.courier.protocol.Framing;
import io.courier.protocol.Message;
import io.courier.server.Server;
import io.courier.server.metrics.CloseReason;
import io.courier.server.support.Frames;
import io.courier.server.support.RawClient;
import io.courier.server.support.TestServers;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.courier.server.support.TestServers.REPLY_TIMEOUT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * README, "What the server guarantees", after a {@code malformed} error: the replies queued before it are
 * delivered, then the error, then FIN, never a reset; requests after the bad bytes get nothing. A blocking request
 * still running when the bad bytes arrive is not forgotten: its reply follows the error, before the FIN.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ErrorCloseGuaranteesTest {

    @ParameterizedTest
    @EnumSource(Framing.class)
    void blockingRequestRunningWhenMalformedBytesArriveGetsItsReplyAfterTheErrorThenFin(Framing framing)
            throws Exception {
        Gate gate = new Gate();
        byte[] malformed = framing == Framing.BINARY ? Frames.binary("{\"type\":") : Frames.utf8("{\"type\": nope}");
        byte[] unread = new byte[256 * 1024]; // bytes the server never parses: they must not turn FIN into a reset
        Arrays.fill(unread, (byte) 'x');
        byte[] all = Frames.concat(Frames.encode(Message.of("ping").with("id", 1), framing),
                Frames.encode(Gate.request(2), framing),
                Frames.encode(Message.of("ping").with("id", 3), framing),
                malformed,
                Frames.encode(Message.of("ping").with("id", 5), framing),
                unread);
        try (Server server = TestServers.start(gate);
             RawClient client = RawClient.connect(server.port(), framing)) {
            CompletableFuture<Void> writing = client.writeInBackground(all);

            List<Message> first = client.read(3, REPLY_TIMEOUT);
            assertEquals(1, first.get(0).id().asLong());
            assertEquals(3, first.get(1).id().asLong());
            Message error = first.get(2);
            assertFalse(error.isOk(), error.toString());
            assertEquals("malformed", error.errorCode(), error.toString());
            assertEquals(1, server.stats().connectionsOpen(), "held open for the blocking reply still due");

            gate.open();
            List<Message> rest = client.readUntilEof(REPLY_TIMEOUT); // fails on a reset
            assertEquals(1, rest.size(), "the gate's reply and nothing for ping 5: " + rest);
            assertEquals(2, rest.get(0).id().asLong());
            assertTrue(rest.get(0).isOk(), rest.get(0).toString());
            writing.handle((written, refused) -> null).get(REPLY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            client.close();
            await().atMost(REPLY_TIMEOUT).untilAsserted(() -> {
                assertEquals(0, server.stats().connectionsOpen());
                assertEquals(1, server.stats().closes().get(CloseReason.PROTOCOL_ERROR));
            });
        } finally {
            gate.open();
        }
    }
}
