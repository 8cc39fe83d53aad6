package io.courier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.courier.cli.support.Cli;
import io.courier.cli.support.LiveServer;
import io.courier.cli.support.TestFiles;
import io.courier.protocol.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static io.courier.cli.support.LiveServer.TIMEOUT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ping, stats (once and --watch) and call with any type. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StatsPingCallTest {
    @TempDir
    Path dir;

    private LiveServer server;

    @BeforeEach
    void startServer() throws Exception {
        server = LiveServer.start(dir.resolve("files"));
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void pingPrintsTheRoundTripTimeAndASummaryForSeveral() {
        Cli.Result one = Cli.run(server.port(), "ping");
        assertEquals(0, one.exit(), one.toString());
        assertTrue(one.out().matches("pong from 127\\.0\\.0\\.1:" + server.port()
                + ": \\d+\\.\\d{3} ms \\(server clock \\d{4}-.*\\)\n"), one.out());

        Cli.Result three = Cli.run(server.port(), "ping", "-c", "3");
        assertEquals(0, three.exit(), three.toString());
        String[] lines = three.out().split("\n");
        assertEquals(4, lines.length, three.out());
        assertTrue(lines[3].matches("3 pings: min \\S+ ms, avg \\S+ ms, max \\S+ ms"), lines[3]);
    }

    @Test
    void statsPrintsEveryGroupOfCounters() {
        Cli.run(server.port(), "rm", "missing"); // one not_found in the error counts
        Cli.Result stats = Cli.run(server.port(), "stats");
        assertEquals(0, stats.exit(), stats.toString());
        String[] lines = stats.out().split("\n");
        assertTrue(lines[0].matches("server 127\\.0\\.0\\.1:" + server.port() + ", up \\d+s"), lines[0]);
        assertTrue(lines[1].matches("  connections +open 1 +total 2 +rejected 0"), lines[1]);
        assertTrue(lines[2].matches("  messages +in \\d+ +out \\d+"), lines[2]);
        assertTrue(lines[3].matches("  bytes +in \\d+ B +out \\d+ B"), lines[3]);
        assertTrue(lines[4].matches("  loop lag +last \\d+\\.\\d{3} ms +max \\d+\\.\\d{3} ms"), lines[4]);
        assertTrue(lines[5].matches("  errors +not_found 1"), lines[5]);
        assertTrue(lines[6].matches("  closes +client_closed 1"), lines[6]);
        assertEquals(7, lines.length, stats.out());
    }

    @Test
    void statsWatchRefreshesWithRatesUntilInterrupted() throws Exception {
        try (Cli.Running watch = Cli.start(Terminal.NONE, Cli.withPort(server.port(), "stats", "--watch"))) {
            await().atMost(TIMEOUT).until(() -> watch.out().split("\n\n").length >= 3);
            String second = watch.out().split("\n\n")[1];
            assertTrue(second.matches("(?s)server .*\n  rate +[\\d,]+ msg/s in +[\\d,]+ msg/s out +.*/s in +.*/s out\n.*"),
                    second);
            assertTrue(!watch.isDone(), "it keeps watching");
            watch.interrupt();
            assertEquals(0, watch.awaitExit(), watch.err());
        }
    }

    @Test
    void statsWatchOnATerminalRedrawsTheScreen() throws Exception {
        try (Cli.Running watch = Cli.start(new Terminal(true, 80), Cli.withPort(server.port(), "stats", "-w"))) {
            await().atMost(TIMEOUT).until(() -> watch.out().split("\033\\[H\033\\[2J", -1).length >= 3);
            watch.interrupt();
            assertEquals(0, watch.awaitExit(), watch.err());
        }
    }

    @Test
    void callSendsAnyTypeWithTheGivenFieldsAndPrintsTheReplyAsJson() throws Exception {
        Cli.Result echo = Cli.run(server.port(), "call", "echo", "{\"text\":\"hi\",\"n\":[1,2,{\"deep\":true}]}");
        assertEquals(0, echo.exit(), echo.toString());
        JsonNode reply = Json.MAPPER.readTree(echo.out());
        assertEquals("echo", reply.path("type").asText());
        assertTrue(reply.path("ok").asBoolean());
        assertEquals("hi", reply.path("text").asText());
        assertEquals(Json.MAPPER.readTree("[1,2,{\"deep\":true}]"), reply.path("n"));
        assertEquals(1, echo.out().split("\n").length, "one line of JSON");

        Cli.Result types = Cli.run(server.port(), "call", "types");
        assertEquals(0, types.exit(), types.toString());
        assertTrue(Json.MAPPER.readTree(types.out()).path("types").size() >= 12, types.out());

        Cli.Result status = Cli.run(server.port(), "call", "file.status", "{\"name\":\"nope\",\"id\":\"mine\"}");
        assertEquals(0, status.exit(), status.toString());
        JsonNode statusReply = Json.MAPPER.readTree(status.out());
        assertEquals("mine", statusReply.path("id").asText(), "an id given in JSON is used");
        assertEquals(false, statusReply.path("exists").asBoolean(true));
    }

    @Test
    void callCarriesABodyBothWays() throws Exception {
        Path body = TestFiles.randomFile(dir.resolve("body.bin"), 70_000, 21);
        Path back = dir.resolve("back.bin");
        Cli.Result echo = Cli.run(server.port(), "call", "echo", "--body", body.toString(),
                "--body-out", back.toString());
        assertEquals(0, echo.exit(), echo.toString());
        assertArrayEquals(Files.readAllBytes(body), Files.readAllBytes(back));

        Cli.Result unsaved = Cli.run(server.port(), "call", "echo", "--body", body.toString());
        assertEquals(0, unsaved.exit(), unsaved.toString());
        assertEquals("courier: the reply has a body of 70000 bytes, not printed (--body-out FILE writes it)\n",
                unsaved.err());
    }

    @Test
    void callOfAnUnknownTypePrintsTheErrorReplyAndExitsOne() throws Exception {
        Cli.Result result = Cli.run(server.port(), "call", "no.such.type", "{\"x\":1}");
        assertEquals(1, result.exit(), result.toString());
        JsonNode reply = Json.MAPPER.readTree(result.out());
        assertEquals("unknown_type", reply.path("error").path("code").asText());
        assertTrue(reply.path("error").path("options").size() > 0);
        assertTrue(result.err().startsWith("courier: unknown_type: no handler for type 'no.such.type'"),
                result.err());
    }

    @Test
    void callWithJsonThatIsNotAnObjectOrClashesWithTheTypeIsAUsageError() {
        Cli.Result broken = Cli.run(server.port(), "call", "echo", "{\"text\":");
        assertEquals(2, broken.exit(), broken.toString());
        assertTrue(broken.err().startsWith("JSON is not valid JSON: "), broken.err());

        Cli.Result array = Cli.run(server.port(), "call", "echo", "[1,2]");
        assertEquals(2, array.exit(), array.toString());
        assertTrue(array.err().startsWith("JSON must be an object"), array.err());

        Cli.Result clash = Cli.run(server.port(), "call", "echo", "{\"type\":\"ping\"}");
        assertEquals(2, clash.exit(), clash.toString());
        assertTrue(clash.err().startsWith("JSON sets \"type\" to \"ping\" but TYPE is \"echo\""), clash.err());
    }
}
