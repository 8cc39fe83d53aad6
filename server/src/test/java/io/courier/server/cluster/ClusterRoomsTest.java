package io.courier.server.cluster;

import io.courier.protocol.Message;
import io.courier.server.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.courier.server.cluster.ClusterFixture.WAIT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Three servers sharing rooms through one real Redis: members, events and one order across instances. */
@Timeout(120)
class ClusterRoomsTest {
    private ClusterFixture cluster;
    private Server a;
    private Server b;
    private Server c;

    @BeforeEach
    void start() throws Exception {
        cluster = new ClusterFixture();
        a = cluster.server();
        b = cluster.server();
        c = cluster.server();
    }

    @AfterEach
    void stop() throws Exception {
        cluster.close();
    }

    @Test
    void membersNamesAndEventsSpanTheInstances() throws Exception {
        ClusterFixture.Member alice = cluster.connect(a);
        ClusterFixture.Member bob = cluster.connect(b);
        ClusterFixture.Member carol = cluster.connect(c);
        assertEquals("[\"alice\"]", alice.join("lobby", "alice").header().path("members").toString());
        assertEquals("[\"alice\",\"bob\"]", bob.join("lobby", "bob").header().path("members").toString());
        assertEquals("[\"alice\",\"bob\",\"carol\"]",
                carol.join("lobby", "carol").header().path("members").toString());
        await().atMost(WAIT).until(() -> alice.presence().equals(List.of("joined:bob", "joined:carol"))
                && bob.presence().equals(List.of("joined:carol")));

        ClusterFixture.Member impostor = cluster.connect(c);
        Message taken = impostor.join("lobby", "alice");
        assertEquals("conflict", taken.errorCode(), taken.toString());
        ClusterFixture.Member dave = cluster.connect(a);
        assertTrue(dave.join("lobby", "dave").isOk());

        Message said = bob.say("lobby", "hello from b");
        assertEquals(4, said.header().path("delivered").asInt(), said.toString());
        for (ClusterFixture.Member member : List.of(alice, bob, carol, dave)) {
            await().atMost(WAIT).until(() -> member.texts().equals(List.of("hello from b")));
        }
        Message message = alice.inbox().ofType("room.message").get(0);
        assertEquals("bob", message.textField("name"));
        assertEquals(1, message.header().path("seq").asLong());
        assertFalse(message.header().path("epoch").asText().isEmpty());

        assertTrue(bob.client().call(Message.of("room.leave").with("room", "lobby"), WAIT).isOk());
        carol.close();
        await().atMost(WAIT).until(() -> alice.presence().containsAll(List.of("left:bob:left",
                "left:carol:disconnected")) && dave.presence().containsAll(List.of("left:bob:left",
                "left:carol:disconnected")));
        assertEquals("[\"alice\",\"dave\",\"erin\"]", cluster.connect(b).join("lobby", "erin").header()
                .path("members").toString());
        Message stats = alice.client().call(Message.of("stats"), WAIT);
        assertEquals("connected", stats.header().path("cluster").path("state").asText(), stats.toString());
        assertFalse(stats.header().path("cluster").path("instance").asText().isEmpty());
    }

    @Test
    void everyMemberOnEveryInstanceSeesOneOrder() throws Exception {
        List<ClusterFixture.Member> members = new ArrayList<>();
        for (Server server : List.of(a, b, c, a, b, c)) {
            ClusterFixture.Member member = cluster.connect(server);
            assertTrue(member.join("race", "m" + members.size()).isOk());
            members.add(member);
        }
        int each = 25;
        List<CompletableFuture<Message>> replies = new ArrayList<>();
        for (int i = 0; i < each; i++) {
            for (int m = 0; m < members.size(); m++) {
                // Pipelined, from six connections on three instances at once.
                replies.add(members.get(m).client().request(Message.of("room.say").with("room", "race")
                        .with("text", "m" + m + "-" + i)));
            }
        }
        for (CompletableFuture<Message> reply : replies) {
            assertTrue(reply.get(WAIT.toSeconds(), TimeUnit.SECONDS).isOk());
        }
        int total = each * members.size();
        for (ClusterFixture.Member member : members) {
            await().atMost(WAIT).until(() -> member.texts().size() == total);
        }
        List<String> order = members.get(0).texts();
        for (ClusterFixture.Member member : members) {
            assertEquals(order, member.texts(), "every member sees the same order");
            List<Message> received = member.inbox().ofType("room.message");
            for (int i = 0; i < received.size(); i++) {
                assertEquals(i + 1, received.get(i).header().path("seq").asLong(), "seq counts the room's messages");
            }
        }
        for (int m = 0; m < members.size(); m++) {
            // Each speaker's own messages keep the order it said them in.
            String prefix = "m" + m + "-";
            List<String> own = order.stream().filter(t -> t.startsWith(prefix)).toList();
            for (int i = 0; i < each; i++) {
                assertEquals(prefix + i, own.get(i));
            }
        }
    }
}
