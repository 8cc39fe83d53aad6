package io.courier.server.rooms;

import io.courier.protocol.Message;
import io.courier.protocol.client.MessageClient;
import io.courier.server.Server;
import io.courier.server.config.RoomsConfig;
import io.courier.server.support.TestServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One process: seq and epoch on every message, and room.join with since/epoch replaying what was missed. */
@Timeout(60)
class RoomHistoryTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final List<Server> servers = new ArrayList<>();
    private final List<MessageClient> clients = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (MessageClient client : clients) {
            client.close();
        }
        for (Server server : servers) {
            server.close();
        }
    }

    private Server start(UnaryOperator<RoomsConfig> rooms) throws Exception {
        Server server = TestServers.start(TestServers.config().rooms(rooms).build());
        servers.add(server);
        return server;
    }

    private MessageClient connect(Server server) throws Exception {
        MessageClient client = MessageClient.connect(server.localAddress());
        clients.add(client);
        return client;
    }

    private static Message join(MessageClient client, String name, Long since, String epoch) throws Exception {
        Message join = Message.of("room.join").with("room", "r").with("name", name);
        if (since != null) {
            join.with("since", since).with("epoch", epoch);
        }
        return client.call(join, WAIT);
    }

    private static void say(MessageClient client, String text) throws Exception {
        assertTrue(client.call(Message.of("room.say").with("room", "r").with("text", text), WAIT).isOk());
    }

    @Test
    void aMemberThatComesBackGetsWhatWasSaidMeanwhileBeforeAnythingNew() throws Exception {
        Server server = start(r -> r);
        MessageClient alice = connect(server);
        assertTrue(join(alice, "alice", null, null).isOk());
        MessageClient bob = connect(server);
        Inbox bobIn = new Inbox(bob);
        Message joined = join(bob, "bob", null, null);
        assertEquals(0, joined.header().path("seq").asLong(), joined.toString());
        String epoch = joined.header().path("epoch").asText();
        assertFalse(epoch.isEmpty());
        say(alice, "one");
        say(alice, "two");
        await().atMost(WAIT).until(() -> bobIn.count("room.message") == 2);
        Message two = bobIn.ofType("room.message").get(1);
        assertEquals(2, two.header().path("seq").asLong());
        assertEquals(epoch, two.header().path("epoch").asText());
        bob.close();

        say(alice, "three");
        say(alice, "four");
        MessageClient back = connect(server);
        Inbox backIn = new Inbox(back);
        Message resumed = join(back, "bob", 2L, epoch);
        assertTrue(resumed.header().path("recovered").asBoolean(), resumed.toString());
        say(alice, "five");
        await().atMost(WAIT).until(() -> backIn.count("room.message") == 3);
        List<Long> seqs = backIn.ofType("room.message").stream().map(m -> m.header().path("seq").asLong()).toList();
        assertEquals(List.of(3L, 4L, 5L), seqs, "the missed ones first, then the new one, each once");
        assertEquals(List.of("three", "four", "five"),
                backIn.ofType("room.message").stream().map(m -> m.textField("text")).toList());

        Message upToDate = join(connect(server), "carol", 5L, epoch);
        assertTrue(upToDate.header().path("recovered").asBoolean(), "nothing missed is recovered: " + upToDate);
        Message otherEpoch = join(connect(server), "dave", 1L, "not-" + epoch);
        assertFalse(otherEpoch.header().path("recovered").asBoolean(), otherEpoch.toString());
        Message future = join(connect(server), "erin", 99L, epoch);
        assertFalse(future.header().path("recovered").asBoolean(), future.toString());
    }

    @Test
    void historyThatNoLongerReachesBackIsNotRecovered() throws Exception {
        Server server = start(r -> r.withHistory(3));
        MessageClient alice = connect(server);
        String epoch = join(alice, "alice", null, null).header().path("epoch").asText();
        for (int i = 1; i <= 6; i++) {
            say(alice, "m" + i);
        }
        MessageClient late = connect(server);
        Inbox lateIn = new Inbox(late);
        Message tooOld = join(late, "bob", 2L, epoch);
        assertFalse(tooOld.header().path("recovered").asBoolean(), "only 4..6 are kept: " + tooOld);
        MessageClient recent = connect(server);
        Inbox recentIn = new Inbox(recent);
        assertTrue(join(recent, "carol", 3L, epoch).header().path("recovered").asBoolean());
        await().atMost(WAIT).until(() -> recentIn.count("room.message") == 3);
        assertEquals(0, lateIn.count("room.message"), "nothing is replayed when the history has a gap");
    }

    @Test
    void theByteBudgetDropsTheOldestMessagesOfAnyRoom() throws Exception {
        Server server = start(r -> r.withHistoryBytes(64 * 1024));
        MessageClient alice = connect(server);
        String epoch = join(alice, "alice", null, null).header().path("epoch").asText();
        byte[] body = new byte[20 * 1024];
        for (int i = 0; i < 5; i++) {
            assertTrue(alice.call(Message.of("room.say").with("room", "r").with("text", "big").withBody(body), WAIT)
                    .isOk());
        }
        assertFalse(join(connect(server), "bob", 0L, epoch).header().path("recovered").asBoolean(),
                "five 20 KiB messages do not fit in 64 KiB: the first ones went");
        assertTrue(join(connect(server), "carol", 3L, epoch).header().path("recovered").asBoolean());
    }

    @Test
    void aRestartOrAnEmptiedRoomWithoutHistoryStartsANewEpoch() throws Exception {
        Server first = start(r -> r);
        MessageClient alice = connect(first);
        String epoch = join(alice, "alice", null, null).header().path("epoch").asText();
        say(alice, "kept");
        alice.close();
        MessageClient back = connect(first);
        Message sameProcess = join(back, "alice", 0L, epoch);
        assertTrue(sameProcess.header().path("recovered").asBoolean(), "an empty room keeps its history");
        assertEquals(epoch, sameProcess.header().path("epoch").asText());

        Server second = start(r -> r);
        Message otherProcess = join(connect(second), "alice", 1L, epoch);
        assertFalse(otherProcess.header().path("recovered").asBoolean());
        assertNotEquals(epoch, otherProcess.header().path("epoch").asText());

        Server noHistory = start(r -> r.withHistory(0));
        MessageClient solo = connect(noHistory);
        String before = join(solo, "solo", null, null).header().path("epoch").asText();
        solo.close();
        await().atMost(WAIT).until(() -> noHistory.stats().connectionsOpen() == 0);
        Message again = join(connect(noHistory), "solo", null, null);
        assertTrue(again.isOk(), again.toString());
        assertNotEquals(before, again.header().path("epoch").asText(), "nothing kept, so nothing to resume");
    }

    @Test
    void sinceNeedsItsEpochAndAWholeNumber() throws Exception {
        Server server = start(r -> r);
        MessageClient client = connect(server);
        Message noEpoch = client.call(Message.of("room.join").with("room", "r").with("name", "a").with("since", 3),
                WAIT);
        assertEquals("bad_request", noEpoch.errorCode());
        assertTrue(noEpoch.errorMessage().contains("epoch"), noEpoch.errorMessage());
        Message negative = client.call(Message.of("room.join").with("room", "r").with("name", "a")
                .with("since", -1).with("epoch", "x"), WAIT);
        assertEquals("bad_request", negative.errorCode());
        Message notNumber = client.call(Message.of("room.join").with("room", "r").with("name", "a")
                .with("since", "3").with("epoch", "x"), WAIT);
        assertEquals("bad_request", notNumber.errorCode());
    }
}
