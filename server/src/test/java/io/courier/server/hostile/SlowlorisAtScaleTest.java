package io.courier.server.hostile;

import io.courier.protocol.ErrorCode;
import io.courier.protocol.Framing;
import io.courier.protocol.Message;
import io.courier.server.Server;
import io.courier.server.metrics.CloseReason;
import io.courier.server.metrics.ServerStats;
import io.courier.server.support.Frames;
import io.courier.server.support.NoErrorLogged;
import io.courier.server.support.RawClient;
import io.courier.server.support.TestServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.courier.server.hostile.Hostile.PROMPT;
import static io.courier.server.hostile.Hostile.assertError;
import static io.courier.server.hostile.Hostile.pingWithin;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Slowloris at scale: 200 clients that dribble a message that never ends, go quiet after one request, or connect
 * and never send a byte. Each is timed out as configured (frame-timeout for the dribblers, idle-timeout for the
 * others), with a {@code timeout} error in its framing (JSON text for the silent ones) and a clean close, while a
 * normal client's requests keep completing promptly the whole time. ConnectionLimitsTest covers one client of each
 * kind; this is about many at once, and about everyone else meanwhile.
 */
@ExtendWith(NoErrorLogged.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SlowlorisAtScaleTest {
    private static final Duration FRAME_TIMEOUT = Duration.ofMillis(1000);
    private static final Duration IDLE_TIMEOUT = Duration.ofMillis(1500);
    private static final int EACH_KIND = 40; // 5 kinds: 200 hostile clients
    /** How late a timeout may come on a loaded 2-core machine (the sweep runs every tenth of the shortest). */
    private static final Duration LATE = Duration.ofSeconds(5);

    @Test
    void twoHundredDribblingIdleAndSilentClientsAreAllTimedOutWhileANormalClientIsServedPromptly() throws Exception {
        byte[] jsonStart = Frames.utf8("{\"type\":\"echo\",\"id\":1,\"pad\":\"");
        byte[] binaryStart = Frames.concat(Frames.prefix(4000, 0), jsonStart); // promises 4000 header bytes
        byte[] dribble = Frames.utf8("a");
        try (Server server = TestServers.start(TestServers.config().frameTimeout(FRAME_TIMEOUT)
                     .idleTimeout(IDLE_TIMEOUT).build());
             RawClient normal = RawClient.connect(server.port(), Framing.BINARY);
             SlowClients hostile = new SlowClients()) {
            AtomicInteger ids = new AtomicInteger();
            pingWithin(normal, ids.incrementAndGet(), PROMPT);
            int port = server.port();
            for (int i = 0; i < EACH_KIND; i++) {
                // A byte every tick: never idle, but the message never completes.
                hostile.open(port, jsonStart, dribble, true, Framing.JSON_TEXT, 0);
                hostile.open(port, binaryStart, dribble, true, Framing.BINARY, 0);
                // One whole request, then silence: the framing is known, so the timeout comes in it.
                hostile.open(port, Frames.utf8("{\"type\":\"ping\",\"id\":1}\n"), null, true, Framing.JSON_TEXT, 0);
                hostile.open(port, Frames.binary("{\"type\":\"ping\",\"id\":1}"), null, true, Framing.BINARY, 0);
                // Connects and never sends a byte.
                hostile.open(port, new byte[0], null, true, Framing.JSON_TEXT, 0);
            }
            hostile.start(Duration.ofMillis(100));

            // The normal client pings every 100 ms, each answered within PROMPT, until every hostile one is gone.
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
                pingWithin(normal, ids.incrementAndGet(), PROMPT);
                return hostile.allEnded();
            });
            hostile.stop();
            assertTrue(ids.get() >= 10, "the normal client was served throughout: " + ids.get() + " pings");

            List<SlowClients.Client> clients = hostile.clients();
            for (int i = 0; i < clients.size(); i++) {
                SlowClients.Client client = clients.get(i);
                int kind = i % 5;
                boolean dribbler = kind < 2;
                String context = "client " + i + " (kind " + kind + ")";
                assertNull(client.failure(), context + ": a clean close, not " + client.failure());
                List<Message> messages = client.messages();
                boolean answeredFirst = kind == 2 || kind == 3;
                assertEquals(answeredFirst ? 2 : 1, messages.size(), context + ": " + messages);
                if (answeredFirst) {
                    assertTrue(messages.get(0).isOk(), context + ": the ping before the silence is answered");
                }
                Message timeout = messages.get(messages.size() - 1);
                assertError(timeout, ErrorCode.TIMEOUT, "error");
                Duration configured = dribbler ? FRAME_TIMEOUT : IDLE_TIMEOUT;
                String option = (dribbler ? "frame-timeout (" : "idle-timeout (") + configured.toMillis() + " ms)";
                assertTrue(timeout.errorMessage().contains(option), context + ": " + timeout.errorMessage());
                assertTrue(client.lifetime().compareTo(configured) >= 0, context + " closed early: "
                        + client.lifetime());
                assertTrue(client.lifetime().compareTo(configured.plus(LATE)) <= 0, context + " closed late: "
                        + client.lifetime());
            }

            int hostiles = 5 * EACH_KIND;
            await().atMost(TestServers.REPLY_TIMEOUT).untilAsserted(() -> {
                ServerStats.Snapshot stats = server.stats();
                assertEquals(hostiles, stats.closes().get(CloseReason.TIMEOUT), stats.closes().toString());
                assertEquals(hostiles, stats.errors().get(ErrorCode.TIMEOUT), stats.errors().toString());
                assertEquals(1, stats.connectionsOpen(), "only the normal client is left: " + stats);
            });
            pingWithin(normal, ids.incrementAndGet(), PROMPT);
        }
    }
}
