package io.courier.server.auth;

import io.courier.server.config.ServerConfig;
import io.courier.server.support.UsersFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The users file, grants as globs, the token command, and the refusal to expose a listener anonymously. */
class UsersFileTest {
    @TempDir
    Path dir;

    @Test
    void grantsAreTypeAndResourceGlobs() {
        Grant rooms = Grant.parse("room.*:public.*");
        assertTrue(rooms.covers("room.join", "public.lobby"));
        assertFalse(rooms.covers("room.join", "staff"));
        assertFalse(rooms.covers("room.join", null), "a resource grant does not cover requests naming none");
        assertFalse(rooms.covers("file.get", "public.x"));
        Grant echo = Grant.parse("echo");
        assertTrue(echo.covers("echo", null));
        assertTrue(echo.covers("echo", "anything"));
        assertFalse(echo.covers("echo.more", null), "a glob matches the whole type");
        assertTrue(Grant.parse("*").covers("text.upper", null));
        assertTrue(Grant.parse("file.*:*.txt").covers("file.put", "notes.txt"));
        assertFalse(Grant.parse("file.*:*.txt").covers("file.put", "notes.txt.exe"));
        assertTrue(Grant.parse("a.b").covers("a.b", null));
        assertFalse(Grant.parse("a.b").covers("axb", null), "dots are literal, not regex wildcards");
        for (String bad : new String[] {"", ":x", "room.*:", "room join"}) {
            assertThrows(IllegalArgumentException.class, () -> Grant.parse(bad), bad);
        }
    }

    @Test
    void aBrokenUsersFileIsOneSentenceNamingTheFile() throws Exception {
        Path file = dir.resolve("users.json");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Users.load(file)).getMessage()
                .endsWith(": no such file"));
        Files.writeString(file, "{\"users\": [ {\"name\": \"a\",");
        String broken = assertThrows(IllegalArgumentException.class, () -> Users.load(file)).getMessage();
        assertTrue(broken.contains("is not valid JSON (line 1"), broken);
        Files.writeString(file, "{\"users\": [{\"name\": \"a\", \"token_sha256\": \"abc\", \"grants\": []}]}");
        String hash = assertThrows(IllegalArgumentException.class, () -> Users.load(file)).getMessage();
        assertTrue(hash.contains("user \"a\": token_sha256 must be 64 hex digits"), hash);
        Files.writeString(file, UsersFiles.usersJson(UsersFiles.entry("a", "t", "room.*"),
                UsersFiles.entry("a", "u", "echo")));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Users.load(file)).getMessage()
                .contains("names user \"a\" twice"));
    }

    @Test
    void theTokenCommandPrintsATokenWhoseHashIsInTheEntry() throws Exception {
        String out = TokenCommand.run(List.of("carol", "room.*", "file.get:*"));
        Matcher token = Pattern.compile("\\n([A-Za-z0-9_-]{43})\\n").matcher(out);
        assertTrue(token.find(), out);
        int entryStart = out.indexOf("{\"name\"");
        Path file = dir.resolve("users.json");
        Files.writeString(file, "{\"users\": [" + out.substring(entryStart).trim() + "]}");
        User carol = Users.load(file).byToken(token.group(1));
        assertNotNull(carol, "the printed token authenticates the printed entry");
        assertEquals("carol", carol.name());
        assertTrue(carol.may("room.join", "x"));
        assertFalse(out.substring(entryStart).contains(token.group(1)), "the entry never holds the token");
        assertThrows(IllegalArgumentException.class, () -> TokenCommand.run(List.of()));
        assertThrows(IllegalArgumentException.class, () -> TokenCommand.run(List.of("x", "bad grant")));
    }

    @Test
    void aListenerOtherMachinesCanReachNeedsUsersOrAllowAnonymous() throws Exception {
        for (String listen : new String[] {"tcp:0.0.0.0:0", "[::]:0", "udp:0.0.0.0:0"}) {
            String refused = assertThrows(IllegalArgumentException.class,
                    () -> ServerConfig.builder().listen(listen).build()).getMessage();
            assertTrue(refused.contains("--allow-anonymous") && refused.contains("--users"), refused);
        }
        ServerConfig.builder().listen("tcp:0.0.0.0:0").allowAnonymous(true).build();
        Path users = dir.resolve("users.json");
        Files.writeString(users, UsersFiles.usersJson(UsersFiles.entry("a", "t", "*")));
        ServerConfig.builder().listen("tcp:0.0.0.0:0").usersFile(users).build();
        ServerConfig.builder().listen("tcp:127.0.0.1:0").listen("tcp:[::1]:0").listen("unix:" + dir.resolve("s"))
                .build();
        ServerConfig.builder().host("localhost").port(0).build();
    }
}
