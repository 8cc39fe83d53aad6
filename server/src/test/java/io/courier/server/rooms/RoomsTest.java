package io.courier.server.rooms;

import com.fasterxml.jackson.databind.JsonNode;
import io.courier.protocol.Json;
import io.courier.protocol.Message;
import io.courier.protocol.client.MessageClient;
import io.courier.server.Server;
import io.courier.server.config.ServerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** room.join, room.say, room.leave: every member hears every message; leaving, by request or disconnect. */
@Timeout(60)
class RoomsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private Server server;
    private final List<MessageClient> clients = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = Server.builder().config(ServerConfig.builder().listen("tcp:127.0.0.1:0")
                .listen("udp:127.0.0.1:0").build()).build().start();
    }

    @AfterEach
    void stop() throws Exception {
        for (MessageClient client : clients) {
            client.close();
        }
        server.close();
    }

    private MessageClient connect() throws Exception {
        MessageClient client = MessageClient.connect(server.localAddress());
        clients.add(client);
        return client;
    }

    private static Message join(MessageClient client, String room, String name) throws Exception {
        return client.call(Message.of("room.join").with("room", room).with("name", name), WAIT);
    }

    private static Message say(MessageClient client, String room, String text) throws Exception {
        return client.call(Message.of("room.say").with("room", room).with("text", text), WAIT);
    }

    @Test
    void everyOneOfThreeMembersReceivesEveryMessageWithSenderNameExtraFieldsAndBody() throws Exception {
        MessageClient alice = connect();
        MessageClient bob = connect();
        MessageClient carol = connect();
        Inbox aliceIn = new Inbox(alice);
        Inbox bobIn = new Inbox(bob);
        Inbox carolIn = new Inbox(carol);
        assertEquals("[\"alice\"]", join(alice, "lobby", "alice").header().path("members").toString());
        assertEquals("[\"alice\",\"bob\"]", join(bob, "lobby", "bob").header().path("members").toString());
        assertEquals("[\"alice\",\"bob\",\"carol\"]",
                join(carol, "lobby", "carol").header().path("members").toString());
        await().atMost(WAIT).until(() -> aliceIn.count("room.joined") == 2 && bobIn.count("room.joined") == 1);
        assertEquals("carol", bobIn.ofType("room.joined").get(0).header().path("name").asText());

        byte[] picture = {0, 1, 2, (byte) 0xff};
        JsonNode data = Json.MAPPER.readTree("{\"list\":[1,2,3],\"dict\":{\"k\":\"v\"}}");
        Message said = alice.call(Message.of("room.say").with("room", "lobby").with("text", "你好, all")
                .with("data", data).with("name", "mallory").with("ok", true).withBody(picture), WAIT);
        assertTrue(said.isOk(), said.toString());
        assertEquals(3, said.header().path("delivered").asInt());
        assertTrue(say(bob, "lobby", "hi alice").isOk());
        assertTrue(say(carol, "lobby", "hello").isOk());

        for (Inbox inbox : List.of(aliceIn, bobIn, carolIn)) {
            await().atMost(WAIT).until(() -> inbox.count("room.message") == 3);
            List<Message> messages = inbox.ofType("room.message");
            Message first = messages.get(0);
            assertEquals("lobby", first.header().path("room").asText());
            assertEquals("你好, all", first.header().path("text").asText());
            assertEquals("alice", first.header().path("name").asText(), "the sender's name, not one it claims");
            assertEquals(data, first.header().path("data"));
            assertArrayEquals(picture, first.body());
            assertFalse(first.isReply(), "an event carries no ok: " + first);
            assertEquals(null, first.id());
            assertEquals(List.of("alice", "bob", "carol"),
                    messages.stream().map(m -> m.header().path("name").asText()).toList(), "one order for all");
        }
    }

    @Test
    void leavingByRequestOrByDisconnectTellsTheOthers() throws Exception {
        MessageClient alice = connect();
        MessageClient bob = connect();
        MessageClient carol = connect();
        Inbox aliceIn = new Inbox(alice);
        for (MessageClient client : List.of(alice, bob, carol)) {
            join(client, "den", client == alice ? "alice" : client == bob ? "bob" : "carol");
        }
        assertTrue(bob.call(Message.of("room.leave").with("room", "den"), WAIT).isOk());
        await().atMost(WAIT).until(() -> aliceIn.has(e -> e.type().equals("room.left")
                && e.header().path("name").asText().equals("bob")
                && e.header().path("reason").asText().equals("left")));
        Message notIn = say(bob, "den", "still here?");
        assertEquals("bad_request", notIn.errorCode());
        assertTrue(notIn.errorMessage().contains("not in room \"den\""), notIn.errorMessage());

        carol.close(); // disconnecting is leaving
        await().atMost(WAIT).until(() -> aliceIn.has(e -> e.type().equals("room.left")
                && e.header().path("name").asText().equals("carol")
                && e.header().path("reason").asText().equals("disconnected")));
        assertEquals(1, say(alice, "den", "alone").header().path("delivered").asInt());
        // The name carol used is free again.
        assertEquals("[\"alice\",\"carol\"]", join(bob, "den", "carol").header().path("members").toString());
    }

    @Test
    void wrongRequestsGetClearErrors() throws Exception {
        MessageClient alice = connect();
        MessageClient bob = connect();
        assertError("bad_request", "not in room \"nowhere\"", say(alice, "nowhere", "hello?"));
        assertError("bad_request", "\"name\" is empty", join(alice, "r", ""));
        assertError("bad_request", "\"name\" is empty", join(alice, "r", "   "));
        assertError("bad_request", "\"room\" is empty", join(alice, "", "alice"));
        assertError("bad_request", "at most 64", join(alice, "r", "n".repeat(65)));
        assertError("bad_request", "control character", join(alice, "r", "two\nlines"));
        assertError("bad_request", "needs \"name\"", alice.call(Message.of("room.join").with("room", "r"), WAIT));
        assertError("bad_request", "not in room", alice.call(Message.of("room.leave").with("room", "r"), WAIT));

        assertTrue(join(alice, "r", "alice").isOk());
        assertTrue(join(alice, "r", "alice").isOk(), "joining again under the same name is harmless");
        assertError("bad_request", "already in room \"r\" as \"alice\"", join(alice, "r", "alias"));
        assertError("conflict", "\"alice\" is taken", join(bob, "r", "alice"));
        assertError("bad_request", "needs \"text\"",
                alice.call(Message.of("room.say").with("room", "r"), WAIT));
        assertError("bad_request", "\"text\" must be a string",
                alice.call(Message.of("room.say").with("room", "r").with("text", 5), WAIT));
    }

    @Test
    void jsonTextMembersGetTheBodyAsBase64() throws Exception {
        MessageClient alice = connect();
        join(alice, "mixed", "alice");
        try (Socket socket = new Socket(server.localAddress().getAddress(), server.port())) {
            socket.setSoTimeout((int) WAIT.toMillis());
            socket.getOutputStream().write("{\"type\":\"room.join\",\"room\":\"mixed\",\"name\":\"text\"}\n"
                    .getBytes(StandardCharsets.UTF_8));
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.UTF_8));
            assertTrue(Json.MAPPER.readTree(in.readLine()).path("ok").asBoolean());
            alice.call(Message.of("room.say").with("room", "mixed").with("text", "file attached")
                    .withBody(new byte[] {1, 2, 3}), WAIT);
            JsonNode event = Json.MAPPER.readTree(in.readLine());
            assertEquals("room.message", event.path("type").asText(), event.toString());
            assertArrayEquals(new byte[] {1, 2, 3}, Base64.getDecoder().decode(event.path("body_base64").asText()));
        }
    }

    @Test
    void udpSendersCannotJoinBecauseTheyCannotBeSeenLeaving() throws Exception {
        InetSocketAddress udp = (InetSocketAddress) server.localAddresses().get(1);
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout((int) WAIT.toMillis());
            byte[] request = "{\"type\":\"room.join\",\"room\":\"r\",\"name\":\"u\"}".getBytes(StandardCharsets.UTF_8);
            socket.send(new DatagramPacket(request, request.length, udp));
            DatagramPacket reply = new DatagramPacket(new byte[2048], 2048);
            socket.receive(reply);
            JsonNode error = Json.MAPPER.readTree(new String(reply.getData(), 0, reply.getLength(),
                    StandardCharsets.UTF_8));
            assertEquals("bad_request", error.path("error").path("code").asText(), error.toString());
            assertTrue(error.path("error").path("message").asText().contains("UDP"), error.toString());
        }
    }

    private static void assertError(String code, String fragment, Message reply) {
        assertEquals(code, reply.errorCode(), reply.toString());
        assertTrue(reply.errorMessage().contains(fragment), reply.errorMessage());
    }
}
