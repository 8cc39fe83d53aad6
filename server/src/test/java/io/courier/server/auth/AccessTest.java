package io.courier.server.auth;

import io.courier.protocol.Framing;
import io.courier.protocol.Message;
import io.courier.server.Server;
import io.courier.server.support.RawClient;
import static io.courier.server.support.UsersFiles.entry;
import static io.courier.server.support.UsersFiles.usersJson;
import io.courier.server.support.TestServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.courier.server.support.TestServers.REPLY_TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tokens and grants over real connections: what an unauthenticated, a granted and a removed user may do. */
class AccessTest {
    static final String ALICE = "alice-token-1";
    static final String ROOT = "root-token-2";

    @TempDir
    Path dir;
    private Path usersFile;
    private Server server;

    @BeforeEach
    void start() throws Exception {
        usersFile = dir.resolve("users.json");
        Files.writeString(usersFile, usersJson(entry("alice", ALICE, "room.*:public.*", "file.get:*", "echo"),
                entry("root", ROOT, "*")));
        server = TestServers.start(TestServers.config().usersFile(usersFile).filesDir(dir.resolve("files"))
                .listen("tcp:127.0.0.1:0").listen("udp:127.0.0.1:0").build());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private RawClient connect() throws Exception {
        return RawClient.connect(((InetSocketAddress) server.localAddresses().get(0)).getPort(), Framing.JSON_TEXT);
    }

    private static Message call(RawClient client, Message request) throws Exception {
        return client.send(request).read(REPLY_TIMEOUT);
    }

    @Test
    void untilAuthenticatedOnlyPingTypesAndAuthAreServed() throws Exception {
        try (RawClient client = connect()) {
            assertTrue(call(client, Message.of("ping").with("id", 1)).isOk());
            assertTrue(call(client, Message.of("types").with("id", 2)).isOk());
            Message echo = call(client, Message.of("echo").with("id", 3).with("text", "hi"));
            assertEquals("unauthorized", echo.errorCode(), echo.toString());
            assertTrue(echo.errorMessage().contains("\"type\":\"auth\""), echo.errorMessage());
            assertTrue(call(client, Message.of("ping").with("id", 4)).isOk(), "the connection stays open");
        }
    }

    @Test
    void aGoodTokenNamesTheUserAndItsGrantsDecide() throws Exception {
        try (RawClient client = connect()) {
            Message auth = call(client, Message.of("auth").with("id", 1).with("token", ALICE));
            assertTrue(auth.isOk(), auth.toString());
            assertEquals("alice", auth.textField("user"));
            assertTrue(call(client, Message.of("echo").with("id", 2).with("text", "hi")).isOk());
            Message joined = call(client, Message.of("room.join").with("id", 3).with("room", "public.lobby")
                    .with("name", "al"));
            assertTrue(joined.isOk(), joined.toString());

            Message secret = call(client, Message.of("room.join").with("id", 4).with("room", "staff")
                    .with("name", "al"));
            assertEquals("forbidden", secret.errorCode());
            assertTrue(secret.errorMessage().contains("room.join on \"staff\""), secret.errorMessage());
            Message put = call(client, Message.of("file.put").with("id", 5).with("name", "a.txt").with("last", true));
            assertEquals("forbidden", put.errorCode(), put.toString());
            Message list = call(client, Message.of("file.list").with("id", 6));
            assertEquals("forbidden", list.errorCode(), "file.get:* names files; a listing names none: " + list);
            assertTrue(call(client, Message.of("ping").with("id", 7)).isOk(), "forbidden keeps the connection");
        }
        try (RawClient root = connect()) {
            assertTrue(call(root, Message.of("auth").with("id", 1).with("token", ROOT)).isOk());
            assertTrue(call(root, Message.of("file.list").with("id", 2)).isOk(), "* grants everything");
            assertTrue(call(root, Message.of("room.join").with("id", 3).with("room", "staff").with("name", "r"))
                    .isOk());
        }
    }

    @Test
    void wrongTokensGetUnauthorizedAndTheFifthClosesTheConnection() throws Exception {
        try (RawClient client = connect()) {
            for (int i = 1; i < AuthHandler.MAX_FAILURES; i++) {
                Message wrong = call(client, Message.of("auth").with("id", i).with("token", "guess" + i));
                assertEquals("unauthorized", wrong.errorCode());
            }
            Message last = call(client, Message.of("auth").with("id", 99).with("token", "guess"));
            assertEquals("unauthorized", last.errorCode());
            assertTrue(last.errorMessage().contains("closed"), last.errorMessage());
            client.expectEof(REPLY_TIMEOUT);
        }
    }

    @Test
    void aUserRemovedByAReloadIsUnauthenticatedOnItsNextRequestAndABrokenFileKeepsTheOldUsers()
            throws Exception {
        try (RawClient client = connect()) {
            assertTrue(call(client, Message.of("auth").with("id", 1).with("token", ALICE)).isOk());
            Files.writeString(usersFile, "{\"users\": [");
            assertThrows(IllegalArgumentException.class, () -> server.access().reload());
            assertTrue(call(client, Message.of("echo").with("id", 2).with("text", "x")).isOk(),
                    "a broken file changed nothing");

            Files.writeString(usersFile, usersJson(entry("root", ROOT, "*")));
            server.access().reload();
            Message echo = call(client, Message.of("echo").with("id", 3).with("text", "x"));
            assertEquals("unauthorized", echo.errorCode(), echo.toString());
            assertTrue(echo.errorMessage().contains("\"alice\" is no longer known"), echo.errorMessage());
        }
    }

    @Test
    void udpServesOnlyPingAndTypesWhenTheServerHasUsers() throws Exception {
        InetSocketAddress udp = (InetSocketAddress) server.localAddresses().get(1);
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            socket.setSoTimeout((int) REPLY_TIMEOUT.toMillis());
            assertTrue(exchange(socket, udp, "{\"type\":\"ping\",\"id\":1}").contains("\"ok\":true"));
            String echo = exchange(socket, udp, "{\"type\":\"echo\",\"id\":2,\"text\":\"x\"}");
            assertTrue(echo.contains("\"unauthorized\""), echo);
            String auth = exchange(socket, udp, "{\"type\":\"auth\",\"id\":3,\"token\":\"" + ROOT + "\"}");
            assertTrue(auth.contains("\"bad_request\""), "no auth over UDP: " + auth);
        }
    }

    private static String exchange(DatagramSocket socket, InetSocketAddress to, String json) throws Exception {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        socket.send(new DatagramPacket(bytes, bytes.length, to));
        DatagramPacket reply = new DatagramPacket(new byte[65536], 65536);
        socket.receive(reply);
        return new String(reply.getData(), 0, reply.getLength(), StandardCharsets.UTF_8);
    }
}
