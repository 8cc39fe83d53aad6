package io.courier.server.cluster;

import io.courier.protocol.Message;
import io.courier.server.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static io.courier.server.cluster.ClusterFixture.WAIT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The history in Redis: a member that reconnects to another instance resumes from its last seq. */
@Timeout(120)
class ClusterHistoryTest {
    private ClusterFixture cluster;

    @BeforeEach
    void start() throws Exception {
        cluster = new ClusterFixture();
    }

    @AfterEach
    void stop() throws Exception {
        cluster.close();
    }

    private static Message resume(ClusterFixture.Member member, String name, long since, String epoch)
            throws Exception {
        return member.client().call(Message.of("room.join").with("room", "r").with("name", name)
                .with("since", since).with("epoch", epoch), WAIT);
    }

    @Test
    void reconnectingToAnotherInstanceReplaysTheMissedMessagesBeforeNewOnes() throws Exception {
        Server a = cluster.server();
        Server b = cluster.server();
        Server c = cluster.server();
        ClusterFixture.Member alice = cluster.connect(a);
        ClusterFixture.Member bob = cluster.connect(b);
        assertTrue(alice.join("r", "alice").isOk());
        assertTrue(bob.join("r", "bob").isOk());
        alice.say("r", "one");
        alice.say("r", "two");
        await().atMost(WAIT).until(() -> bob.texts().size() == 2);
        Message last = bob.inbox().ofType("room.message").get(1);
        long seq = last.header().path("seq").asLong();
        String epoch = last.header().path("epoch").asText();
        bob.close();
        await().atMost(WAIT).until(() -> alice.presence().contains("left:bob:disconnected"));
        alice.say("r", "three");
        alice.say("r", "four");

        ClusterFixture.Member back = cluster.connect(c);
        Message resumed = resume(back, "bob", seq, epoch);
        assertTrue(resumed.header().path("recovered").asBoolean(), resumed.toString());
        assertEquals(4, resumed.header().path("seq").asLong());
        assertEquals(epoch, resumed.header().path("epoch").asText());
        alice.say("r", "five");
        await().atMost(WAIT).until(() -> back.texts().size() == 3);
        assertEquals(List.of("three", "four", "five"), back.texts(), "missed ones first, each once, then new");
        assertEquals(List.of(3L, 4L, 5L), back.inbox().ofType("room.message").stream()
                .map(m -> m.header().path("seq").asLong()).toList());

        assertFalse(resume(cluster.connect(a), "dave", 1, "other").header().path("recovered").asBoolean());
        assertTrue(resume(cluster.connect(b), "erin", 5, epoch).header().path("recovered").asBoolean());
    }

    @Test
    void aCappedHistoryThatNoLongerReachesBackIsNotRecovered() throws Exception {
        Server a = cluster.server(r -> r.withHistory(2));
        ClusterFixture.Member alice = cluster.connect(a);
        String epoch = alice.join("r", "alice").header().path("epoch").asText();
        // MAXLEN ~ trims whole stream nodes (100 entries by default): say enough for a trim to happen.
        for (int i = 0; i < 250; i++) {
            alice.client().request(Message.of("room.say").with("room", "r").with("text", "m" + i));
        }
        alice.say("r", "last");
        ClusterFixture.Member late = cluster.connect(a);
        Message tooOld = resume(late, "bob", 1, epoch);
        assertFalse(tooOld.header().path("recovered").asBoolean(), tooOld.toString());
        assertEquals(251, tooOld.header().path("seq").asLong());
        assertTrue(resume(cluster.connect(a), "carol", 249, epoch).header().path("recovered").asBoolean());
    }
}
