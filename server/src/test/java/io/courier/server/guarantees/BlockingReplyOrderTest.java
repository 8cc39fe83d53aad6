package io.courier.server.guarantees;

import io.courier.protocol.Framing;
import io.courier.protocol.Message;
import io.courier.server.Server;
import io.courier.server.support.Frames;
import io.courier.server.support.RawClient;
import io.courier.server.support.TestServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.courier.server.support.TestServers.REPLY_TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * README, "What the server guarantees": a blocking handler's reply may be overtaken by the replies to later
 * requests of the same connection, and the {@code id} tells them apart.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BlockingReplyOrderTest {

    @Test
    void repliesOfLaterLoopRequestsOvertakeABlockingReplyAndTheIdsTellThemApart() throws Exception {
        Gate gate = new Gate();
        try (Server server = TestServers.start(gate);
             RawClient client = RawClient.connect(server.port(), Framing.BINARY)) {
            client.write(Frames.concat(Frames.encode(Gate.request(1), Framing.BINARY),
                    Frames.encode(Message.of("ping").with("id", 2), Framing.BINARY),
                    Frames.encode(Frames.echo(3, "after the gate"), Framing.BINARY)));

            List<Message> overtaking = client.read(2, REPLY_TIMEOUT);
            assertEquals(2, overtaking.get(0).id().asLong(), "the ping sent second is answered first");
            assertEquals(3, overtaking.get(1).id().asLong());
            assertEquals("after the gate", overtaking.get(1).header().path("text").asText());

            gate.open();
            Message late = client.read(REPLY_TIMEOUT);
            assertEquals(1, late.id().asLong(), "the blocking request's reply comes last, under its own id");
            assertEquals(Gate.TYPE, late.type());
            assertTrue(late.isOk(), late.toString());
        } finally {
            gate.open();
        }
    }
}
