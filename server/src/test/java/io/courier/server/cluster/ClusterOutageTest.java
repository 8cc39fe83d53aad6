package io.courier.server.cluster;

import io.courier.protocol.Message;
import io.courier.server.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.courier.server.cluster.ClusterFixture.WAIT;
import static io.courier.server.cluster.ClusterFixture.awaitClusterState;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Redis unreachable, at start or later: each instance serves its own members, reports the link's state, and when
 * Redis is back re-announces its members so the rooms heal; nothing is delivered twice.
 */
@Timeout(120)
class ClusterOutageTest {
    private ClusterFixture cluster;

    @BeforeEach
    void start() throws Exception {
        cluster = new ClusterFixture();
    }

    @AfterEach
    void stop() throws Exception {
        cluster.close();
    }

    @Test
    void redisStoppedAndRestartedRoomsGoOnLocallyThenHeal() throws Exception {
        Server a = cluster.server();
        Server b = cluster.server();
        ClusterFixture.Member alice = cluster.connect(a);
        ClusterFixture.Member bob = cluster.connect(b);
        assertTrue(alice.join("lobby", "alice").isOk());
        assertTrue(bob.join("lobby", "bob").isOk());
        assertTrue(alice.say("lobby", "before").isOk());
        await().atMost(WAIT).until(() -> bob.texts().equals(List.of("before")));
        String epochBefore = bob.inbox().ofType("room.message").get(0).header().path("epoch").asText();

        cluster.redis.kill();
        awaitClusterState(a, "disconnected");
        awaitClusterState(b, "disconnected");
        Message offline = alice.say("lobby", "offline");
        assertEquals(1, offline.header().path("delivered").asInt(), "only this instance's members: " + offline);
        ClusterFixture.Member carol = cluster.connect(a);
        Message joined = carol.join("lobby", "carol");
        assertEquals("[\"alice\",\"bob\",\"carol\"]", joined.header().path("members").toString(),
                "the members last known, and the new one");
        assertEquals("conflict", cluster.connect(a).join("lobby", "bob").errorCode(),
                "names last known stay taken while Redis is away");
        await().atMost(WAIT).until(() -> alice.texts().equals(List.of("before", "offline")));
        Message offlineMessage = alice.inbox().ofType("room.message").get(1);
        assertNotEquals(epochBefore, offlineMessage.header().path("epoch").asText(),
                "messages said during the outage are numbered in an epoch of their own");

        cluster.redis.restart();
        awaitClusterState(a, "connected");
        awaitClusterState(b, "connected");
        // Redis came back empty: both instances announce their members again; bob learns of carol.
        await().atMost(WAIT).untilAsserted(() -> assertTrue(bob.presence().contains("joined:carol"),
                bob.presence().toString()));
        ClusterFixture.Member dave = cluster.connect(b);
        // Joining again is harmless and lists the members as now known; the order of re-announcing is the race's.
        await().atMost(WAIT).until(() -> names(dave.join("lobby", "dave")).equals(Set.of("alice", "bob", "carol",
                "dave")));
        assertTrue(alice.say("lobby", "after").isOk());
        for (ClusterFixture.Member member : List.of(alice, bob, carol, dave)) {
            await().atMost(WAIT).until(() -> member.texts().contains("after"));
        }
        assertEquals(List.of("before", "after"), bob.texts(), "nothing twice, nothing from the other side's outage");
        assertEquals(List.of("before", "offline", "after"), alice.texts());
        assertEquals(List.of("after"), carol.texts());
        Message after = bob.inbox().ofType("room.message").get(1);
        assertNotEquals(epochBefore, after.header().path("epoch").asText(), "Redis lost the history: a new epoch");
        assertEquals(1, after.header().path("seq").asLong());
        assertEquals(1, a.stats().cluster().linkLosses());
    }

    @Test
    void aRedisThatStopsAnsweringIsTakenAsGoneAndReconnectedWhenItAnswersAgain() throws Exception {
        Server a = cluster.server(r -> r.withClusterTimeout(Duration.ofSeconds(2)));
        ClusterFixture.Member alice = cluster.connect(a);
        assertTrue(alice.join("lobby", "alice").isOk());
        cluster.redis.pause();
        awaitClusterState(a, "disconnected");
        // A paused Redis still accepts connections (the kernel's backlog), so each retry waits out the answer
        // timeout; all that while the link reads disconnected, not connecting: a readiness check does not flap.
        await("the state stays disconnected across retries").during(Duration.ofMillis(2500))
                .atMost(Duration.ofMillis(3000))
                .until(() -> ClusterFixture.clusterState(a).equals("disconnected"));
        assertEquals(1, alice.say("lobby", "alone").header().path("delivered").asInt());
        cluster.redis.resume();
        awaitClusterState(a, "connected");
        ClusterFixture.Member bob = cluster.connect(cluster.server());
        await().atMost(WAIT).until(() -> names(bob.join("lobby", "bob")).equals(Set.of("alice", "bob")));
    }

    @Test
    void redisUnreachableAtStartServesLocallyAndJoinsWhenItAppears() throws Exception {
        URI nowhere = cluster.redis.uri();
        int port = cluster.redis.port();
        cluster.redis.kill();
        try (LinkLog logs = LinkLog.capture()) {
            Server a = cluster.startServer(nowhere, r -> r);
            awaitClusterState(a, "disconnected");
            ClusterFixture.Member alice = cluster.connect(a);
            ClusterFixture.Member erin = cluster.connect(a);
            assertTrue(alice.join("lobby", "alice").isOk());
            assertTrue(erin.join("lobby", "erin").isOk());
            assertEquals(2, alice.say("lobby", "local").header().path("delivered").asInt());
            Message stats = alice.client().call(Message.of("stats"), WAIT);
            assertEquals("disconnected", stats.header().path("cluster").path("state").asText());

            cluster.redis.restart();
            assertEquals(port, cluster.redis.port());
            awaitClusterState(a, "connected");
            Server b = cluster.server();
            ClusterFixture.Member bob = cluster.connect(b);
            await().atMost(WAIT).until(() -> names(bob.join("lobby", "bob")).equals(Set.of("alice", "erin", "bob")));
            assertTrue(bob.say("lobby", "hi").isOk());
            await().atMost(WAIT).until(() -> alice.texts().equals(List.of("local", "hi")));
            long unreachable = logs.lines().stream().filter(l -> l.contains("Cannot reach")).count();
            assertEquals(1, unreachable, "the outage is logged once, not at every retry: " + logs.lines());
        }
    }

    private static Set<String> names(Message joinReply) {
        Set<String> names = new HashSet<>();
        joinReply.header().path("members").forEach(name -> names.add(name.asText()));
        return names;
    }
}
