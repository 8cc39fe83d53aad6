package io.courier.cli;

import io.courier.cli.support.Cli;
import io.courier.cli.support.LiveServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.nio.file.Files;
import java.util.HexFormat;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Exit code 2 for a wrong command line, 1 with one sentence when the server cannot be reached or says no. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UsageAndConnectionTest {
    @TempDir
    Path dir;

    @Test
    void wrongCommandLinesExitTwoWithTheReasonAndTheUsage() {
        assertUsage(Cli.runRaw(), "a COMMAND is required");
        assertUsage(Cli.runRaw("fly"), "Unmatched argument at index 0: 'fly'");
        assertUsage(Cli.runRaw("--port", "many", "ping"), "Invalid value for option '--port': 'many' is not an int");
        assertUsage(Cli.runRaw("--timeout", "5", "ping"), "(a number needs a unit: 5ms or 5s)");
        assertUsage(Cli.runRaw("ping", "-c", "0"), "--count must be at least 1, got 0");
        assertUsage(Cli.runRaw("send"), "Missing required parameter: 'FILE'");
        assertUsage(Cli.runRaw("get", "x", "--chunk-size", "lots"), "--chunk-size must be a size");
        assertUsage(Cli.runRaw("rm", "a", "b"), "Unmatched argument at index 2: 'b'");
        assertUsage(Cli.runRaw("ls", "--bogus"), "Unknown option: '--bogus'");
    }

    @Test
    void helpAndVersionExitZero() {
        Cli.Result help = Cli.runRaw("--help");
        assertEquals(0, help.exit());
        assertTrue(help.out().contains("Commands:") && help.out().contains("Exit codes: 0 done; 1"), help.out());
        for (String command : new String[] {"ping", "send", "get", "ls", "rm", "chat", "stats", "call"}) {
            assertTrue(help.out().contains("\n  " + command + " "), command + " is listed: " + help.out());
            Cli.Result commandHelp = Cli.runRaw(command, "--help");
            assertEquals(0, commandHelp.exit(), commandHelp.toString());
            assertTrue(commandHelp.out().startsWith("Usage: courier " + command), commandHelp.out());
        }
        Cli.Result version = Cli.runRaw("--version");
        assertEquals(0, version.exit());
        assertTrue(version.out().startsWith("courier "), version.out());
    }

    @Test
    void aServerThatIsNotThereIsExitOneWithOneClearLine() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        for (String command : new String[] {"ping", "ls", "stats"}) {
            Cli.Result result = Cli.run(closedPort, command);
            assertEquals(1, result.exit(), result.toString());
            assertEquals("courier: cannot connect to 127.0.0.1:" + closedPort
                    + ": connection refused (is the server running?)\n", result.err());
        }
        Cli.Result unknownHost = Cli.runRaw("--host", "no-such-host.invalid", "ping");
        assertEquals(1, unknownHost.exit(), unknownHost.toString());
        assertEquals("courier: cannot connect to no-such-host.invalid:6666: unknown host\n", unknownHost.err());
    }

    @Test
    void aTokenAuthenticatesFirstAWrongOneIsExitOneAndWithoutOneTheServerSaysUnauthorized() throws Exception {
        Path users = dir.resolve("users.json");
        Files.writeString(users, "{\"users\": [{\"name\": \"alice\", \"token_sha256\": \""
                + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest("s3cret".getBytes(StandardCharsets.UTF_8))) + "\", \"grants\": [\"file.*\"]}]}");
        try (LiveServer server = LiveServer.startWithUsers(dir.resolve("files"), users)) {
            Cli.Result listed = Cli.run(server.port(), "--token", "s3cret", "ls");
            assertEquals(0, listed.exit(), listed.toString());

            Cli.Result wrong = Cli.run(server.port(), "--token", "guess", "ls");
            assertEquals(1, wrong.exit(), wrong.toString());
            assertTrue(wrong.err().startsWith("courier: unauthorized: wrong token"), wrong.err());
            assertEquals("", wrong.out(), "the listing was never asked for");

            Cli.Result none = Cli.run(server.port(), "ls");
            assertEquals(1, none.exit(), none.toString());
            assertTrue(none.err().startsWith("courier: unauthorized: authenticate first"), none.err());
        }
        try (LiveServer anonymous = LiveServer.start(dir)) {
            Cli.Result result = Cli.run(anonymous.port(), "--token", "s3cret", "ping");
            assertEquals(1, result.exit(), "a server without users has no auth type: " + result);
            assertTrue(result.err().startsWith("courier: unknown_type: no handler for type 'auth'"), result.err());
        }
    }

    private static void assertUsage(Cli.Result result, String reason) {
        assertEquals(2, result.exit(), result.toString());
        assertTrue(result.err().contains(reason), "says why: " + reason + "\n" + result.err());
        assertTrue(result.err().contains("Usage: courier"), "and shows the usage: " + result.err());
        assertEquals("", result.out());
    }
}
