package io.courier.server.hostile;

import io.courier.protocol.ErrorCode;
import io.courier.protocol.Framing;
import io.courier.protocol.Message;
import io.courier.server.Server;
import io.courier.server.metrics.ServerStats;
import io.courier.server.support.NoErrorLogged;
import io.courier.server.support.RawClient;
import io.courier.server.support.TestServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.courier.server.hostile.Hostile.PROMPT;
import static io.courier.server.hostile.Hostile.assertError;
import static io.courier.server.hostile.Hostile.pingWithin;
import static io.courier.server.support.TestServers.REPLY_TIMEOUT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A flood of connections far past max-connections, opened as fast as a few threads can: every extra one gets a
 * {@code busy} error and a clean close, the connections that were in first keep being served during and after the
 * flood, and once they leave, new clients are served again. ConnectionLimitsTest covers one extra connection at a
 * limit of 3; this is 250 at once against 50.
 */
@ExtendWith(NoErrorLogged.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConnectionFloodTest {
    private static final int MAX = 50;
    private static final int FLOOD = 250;
    private static final int THREADS = 5;

    @Test
    void floodPastTheLimitIsTurnedAwayWithBusyWhileTheFirstFiftyKeepBeingServed() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<RawClient> first = new ArrayList<>();
        try (Server server = TestServers.start(TestServers.config().maxConnections(MAX).build())) {
            for (int i = 0; i < MAX; i++) {
                RawClient client = RawClient.connect(server.port(), i % 2 == 0 ? Framing.BINARY : Framing.JSON_TEXT);
                first.add(client);
                pingWithin(client, i, PROMPT);
            }

            // Each thread opens its share of connections back to back, holding them all, and only then reads.
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> waves = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                waves.add(pool.submit(() -> {
                    go.await();
                    List<RawClient> extras = new ArrayList<>();
                    try {
                        for (int i = 0; i < FLOOD / THREADS; i++) {
                            extras.add(RawClient.connect(server.port(), Framing.JSON_TEXT));
                        }
                        for (RawClient extra : extras) {
                            Message busy = extra.read(REPLY_TIMEOUT);
                            assertError(busy, ErrorCode.BUSY, "error");
                            assertTrue(busy.errorMessage().contains("max-connections"), busy.errorMessage());
                            extra.expectEof(REPLY_TIMEOUT);
                        }
                        return extras.size();
                    } finally {
                        for (RawClient extra : extras) {
                            extra.close();
                        }
                    }
                }));
            }
            go.countDown();
            // The first fifty are served while the flood is going on...
            for (int i = 0; i < MAX; i++) {
                pingWithin(first.get(i), 1000 + i, PROMPT);
            }
            int turnedAway = 0;
            for (Future<Integer> wave : waves) {
                turnedAway += wave.get(40, TimeUnit.SECONDS);
            }
            assertEquals(FLOOD, turnedAway);
            // ...and after it.
            for (int i = 0; i < MAX; i++) {
                pingWithin(first.get(i), 2000 + i, PROMPT);
            }
            ServerStats.Snapshot stats = server.stats();
            assertEquals(FLOOD, stats.connectionsRejected(), stats.toString());
            assertEquals(FLOOD, stats.errors().get(ErrorCode.BUSY), stats.errors().toString());
            assertEquals(MAX, stats.connectionsOpen(), stats.toString());
            assertEquals(MAX, stats.connectionsTotal(), "a rejected connection is never counted as opened");

            // Once the first fifty leave, normal clients connect and are served again.
            for (RawClient client : first) {
                client.close();
            }
            first.clear();
            await().atMost(REPLY_TIMEOUT).until(() -> server.stats().connectionsOpen() == 0);
            for (int i = 0; i < MAX; i++) {
                RawClient client = RawClient.connect(server.port(), i % 2 == 0 ? Framing.JSON_TEXT : Framing.BINARY);
                first.add(client);
                pingWithin(client, 3000 + i, PROMPT);
            }
            assertEquals(FLOOD, server.stats().connectionsRejected(), "nobody else was turned away");
        } finally {
            for (RawClient client : first) {
                client.close();
            }
            pool.shutdownNow();
        }
    }
}
