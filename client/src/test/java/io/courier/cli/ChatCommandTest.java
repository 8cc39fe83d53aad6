package io.courier.cli;

import io.courier.cli.support.Cli;
import io.courier.cli.support.LiveServer;
import io.courier.protocol.Message;
import io.courier.protocol.client.ChatRoom;
import io.courier.protocol.client.MessageClient;
import io.courier.protocol.client.RoomListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.courier.cli.support.LiveServer.TIMEOUT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** chat: a room's events as lines, each input line said, both with a person at a terminal and with a pipe. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChatCommandTest {
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
    void chatFedThroughAPipeTalksWithAnotherMemberAndLeavesAtTheEndOfItsInput() throws Exception {
        List<String> bobHeard = new CopyOnWriteArrayList<>();
        try (Cli.Running ann = Cli.start(Terminal.NONE, Cli.withPort(server.port(), "chat", "lobby", "--name", "ann"));
             MessageClient bobClient = server.client()) {
            await().atMost(TIMEOUT).until(() -> ann.out().contains("* joined lobby as ann; members: ann\n"));

            ChatRoom bob = ChatRoom.join(bobClient, "lobby", "bob", recorder(bobHeard), TIMEOUT);
            assertEquals(List.of("ann", "bob"), bob.members());
            await().atMost(TIMEOUT).until(() -> ann.out().contains("* bob joined\n"));

            bob.say("hi ann, 你好").get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            await().atMost(TIMEOUT).until(() -> ann.out().contains("<bob> hi ann, 你好\n"));

            ann.type("hello bob");
            ann.type("");
            ann.type("second line");
            await().atMost(TIMEOUT).until(() -> bobHeard.contains("ann: second line"));
            assertEquals(List.of("ann: hello bob", "ann: second line"),
                    bobHeard.stream().filter(line -> line.startsWith("ann:")).toList(),
                    "each line said once, in order, the empty one skipped");

            ann.endInput();
            assertEquals(0, ann.awaitExit(), ann.out() + ann.err());
            await().atMost(TIMEOUT).until(() -> bobHeard.contains("ann left left"));
            assertEquals(List.of("bob"), bob.members());
            assertTrue(ann.out().contains("<ann> hello bob\n<ann> second line\n"),
                    "ann sees her own lines in the room's order: " + ann.out());
            assertEquals("", ann.err());
        }
    }

    @Test
    void pipedInputIsAllAcknowledgedBeforeTheChatExits() throws Exception {
        List<String> heard = new CopyOnWriteArrayList<>();
        try (MessageClient listener = server.client()) {
            ChatRoom.join(listener, "feed", "reader", recorder(heard), TIMEOUT);
            StringBuilder input = new StringBuilder();
            for (int i = 0; i < 500; i++) {
                input.append("line ").append(i).append('\n');
            }
            Cli.Result result = Cli.run(Terminal.NONE,
                    new ByteArrayInputStream(input.toString().getBytes(StandardCharsets.UTF_8)),
                    Cli.withPort(server.port(), "chat", "feed", "--name", "bot"));

            assertEquals(0, result.exit(), result.toString());
            // Exit 0 means every message was acknowledged, so every one was queued for the reader already.
            await().atMost(TIMEOUT).until(() -> heard.contains("bot left left"));
            List<String> said = heard.stream().filter(line -> line.startsWith("bot: ")).toList();
            assertEquals(500, said.size());
            assertEquals("bot: line 499", said.get(499));
            assertTrue(result.out().endsWith("<bot> line 499\n"), "its own lines echoed, all before it left");
        }
    }

    @Test
    void atATerminalTypedLinesAreReplacedByTheRoomsEchoAndWhoAndQuitWork() throws Exception {
        MessageClient otherClient = server.client(); // closed by the test itself, to disconnect zoe
        try (Cli.Running ann = Cli.start(new Terminal(true, 80),
                Cli.withPort(server.port(), "chat", "den", "--name", "ann"))) {
            ChatRoom.join(otherClient, "den", "zoe", new RoomListener() { }, TIMEOUT);
            await().atMost(TIMEOUT).until(() -> ann.out().contains("/quit or Ctrl-D leaves\n"));
            assertTrue(ann.out().contains("members: zoe, ann"), ann.out());

            ann.type("/who");
            await().atMost(TIMEOUT).until(() -> ann.out().contains("* members: zoe, ann\n"));
            ann.type("typed");
            // The line the terminal echoed is erased (cursor up, clear line); the room's echo replaces it.
            await().atMost(TIMEOUT).until(() -> ann.out().contains("\033[1A\033[2K<ann> typed\n"));

            otherClient.close();
            await().atMost(TIMEOUT).until(() -> ann.out().contains("* zoe disconnected\n"));
            ann.type("/who");
            await().atMost(TIMEOUT).until(() -> ann.out().endsWith("* members: ann\n"));

            ann.type("/quit");
            assertEquals(0, ann.awaitExit(), ann.err());
        }
    }

    @Test
    void controlCharactersFromOthersNeverReachTheTerminal() throws Exception {
        try (MessageClient mallory = server.client();
             Cli.Running ann = Cli.start(new Terminal(true, 80),
                     Cli.withPort(server.port(), "chat", "r", "--name", "ann"))) {
            await().atMost(TIMEOUT).until(() -> ann.out().contains("Ctrl-D leaves"));
            ChatRoom.join(mallory, "r", "mallory", new RoomListener() { }, TIMEOUT)
                    .say("\033]0;owned\007red\033[31m").get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            await().atMost(TIMEOUT).until(() -> ann.out().contains("<mallory> ?]0;owned?red?[31m\n"));
            ann.endInput();
            assertEquals(0, ann.awaitExit());
        }
    }

    @Test
    void aNameTakenIsExitOneWithTheServersConflict() throws Exception {
        try (MessageClient first = server.client()) {
            ChatRoom.join(first, "lobby", "ann", new RoomListener() { }, TIMEOUT);
            Cli.Result second = Cli.run(server.port(), "chat", "lobby", "--name", "ann");
            assertEquals(1, second.exit(), second.toString());
            assertTrue(second.err().startsWith("courier: conflict: "), second.err());
        }
    }

    @Test
    void theServerGoingAwayEndsTheChatWithExitOne() throws Exception {
        try (Cli.Running ann = Cli.start(Terminal.NONE, Cli.withPort(server.port(), "chat", "x", "--name", "ann"))) {
            await().atMost(TIMEOUT).until(() -> ann.out().contains("* joined x"));
            server.close();
            assertEquals(1, ann.awaitExit());
            assertTrue(ann.out().contains("* the server is shutting down\n"), ann.out());
            assertTrue(ann.err().startsWith("courier: the server closed the connection"), ann.err());
            assertFalse(ann.err().contains("Exception"), ann.err());
        }
    }

    @Test
    void chatWithoutANameIsAUsageError() {
        Cli.Result result = Cli.run(server.port(), "chat", "lobby");
        assertEquals(2, result.exit(), result.toString());
        assertTrue(result.err().contains("Missing required option: '--name=NAME'"), result.err());
    }

    /** Lines {@code NAME: TEXT}, {@code NAME joined}, {@code NAME left REASON}. */
    private static RoomListener recorder(List<String> lines) {
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
