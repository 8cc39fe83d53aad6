package io.courier.protocol.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.courier.cli.support.LiveServer;
import io.courier.protocol.Json;
import io.courier.protocol.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.courier.cli.support.LiveServer.TIMEOUT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The room helpers of the Java client against a real server. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChatRoomTest {
    @TempDir
    Path dir;

    private LiveServer server;

    @BeforeEach
    void startServer() throws Exception {
        server = LiveServer.start(dir);
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void twoRoomsOnOneConnectionEachSeeOnlyTheirOwnEventsAndOtherListenersStillWork() throws Exception {
        List<String> red = new CopyOnWriteArrayList<>();
        List<String> blue = new CopyOnWriteArrayList<>();
        List<Message> everything = new CopyOnWriteArrayList<>();
        try (MessageClient ann = server.client(); MessageClient bob = server.client()) {
            ann.onEvent(everything::add); // the old single listener keeps working next to the rooms'
            ChatRoom annRed = ChatRoom.join(ann, "red", "ann", texts(red), TIMEOUT);
            ChatRoom.join(ann, "blue", "ann-blue", texts(blue), TIMEOUT);
            ChatRoom bobRed = ChatRoom.join(bob, "red", "bob", new RoomListener() { }, TIMEOUT);
            ChatRoom bobBlue = ChatRoom.join(bob, "blue", "bob", new RoomListener() { }, TIMEOUT);

            bobRed.say("to red").get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            Message reply = bobBlue.say("to blue", Map.of("mood", Json.NODES.textNode("calm")),
                    "attached".getBytes(StandardCharsets.UTF_8)).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertEquals(2, reply.header().path("delivered").asInt());

            await().atMost(TIMEOUT).until(() -> red.contains("bob: to red") && blue.contains("bob: to blue"));
            assertEquals(List.of("bob joined", "bob: to red"), red);
            assertEquals(List.of("bob joined", "bob: to blue"), blue);
            assertEquals(List.of("ann", "bob"), annRed.members());
            await().atMost(TIMEOUT).until(() -> everything.size() == 4);
            Message blueMessage = everything.stream()
                    .filter(m -> "room.message".equals(m.type()) && "blue".equals(m.textField("room")))
                    .findFirst().orElseThrow();
            assertEquals("calm", blueMessage.textField("mood"), "extra fields reach the members");
            assertArrayEquals("attached".getBytes(StandardCharsets.UTF_8), blueMessage.body());

            bobRed.leave();
            await().atMost(TIMEOUT).until(() -> red.contains("bob left left"));
            assertEquals(List.of("ann"), annRed.members());
            assertEquals(List.of("bob joined", "bob: to blue"), blue, "bob is still in blue");
        }
    }

    @Test
    void refusalsAreErrorReplyExceptionsWithTheServersCode() throws Exception {
        try (MessageClient ann = server.client(); MessageClient bob = server.client()) {
            ChatRoom.join(ann, "r", "same", new RoomListener() { }, TIMEOUT);
            ErrorReplyException taken = assertThrows(ErrorReplyException.class,
                    () -> ChatRoom.join(bob, "r", "same", new RoomListener() { }, TIMEOUT));
            assertEquals("conflict", taken.code());
            assertEquals("room.join", taken.reply().type());

            ChatRoom left = ChatRoom.join(bob, "r", "other", new RoomListener() { }, TIMEOUT);
            left.leave();
            ExecutionException notMember = assertThrows(ExecutionException.class,
                    () -> left.say("after leaving").get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
            ErrorReplyException cause = assertInstanceOf(ErrorReplyException.class, notMember.getCause());
            assertEquals("bad_request", cause.code());
        }
    }

    @Test
    void closedCompletesWhenTheServerGoesAway() throws Exception {
        MessageClient client = server.client();
        assertTrue(!client.closed().isDone());
        server.close();
        Throwable why = client.closed().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertTrue(why.getMessage().contains("closed"), why.toString());
        assertTrue(!client.isOpen());
    }

    @Test
    void aListenerThatThrowsLosesThatEventNotTheConnection() throws Exception {
        List<String> heard = new CopyOnWriteArrayList<>();
        try (MessageClient ann = server.client(); MessageClient bob = server.client()) {
            ann.addEventListener(event -> {
                throw new IllegalStateException("listener bug");
            });
            ChatRoom.join(ann, "r", "ann", texts(heard), TIMEOUT);
            ChatRoom bobRoom = ChatRoom.join(bob, "r", "bob", new RoomListener() { }, TIMEOUT);
            bobRoom.say("one").get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            await().atMost(TIMEOUT).until(() -> heard.contains("bob: one"));
            JsonNode pong = ann.callOk(Message.of("ping"), TIMEOUT).header().path("time");
            assertTrue(pong.asLong() > 0, "the connection still serves requests");
        }
    }

    private static RoomListener texts(List<String> lines) {
        return new RoomListener() {
            @Override
            public void onMessage(String name, String text, Message event) {
                lines.add(name + ": " + text);
            }

            @Override
            public void onJoined(String name) {
                lines.add(name + " joined");
            }

            @Override
            public void onLeft(String name, String reason) {
                lines.add(name + " left " + reason);
            }
        };
    }
}
