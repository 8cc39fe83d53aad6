package io.courier.cli;

import io.courier.cli.support.Cli;
import io.courier.cli.support.LiveServer;
import io.courier.cli.support.TestFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** send, get, ls and rm against a real server on loopback, the CLI run in-process. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FileCommandsTest {
    @TempDir
    Path dir;

    private LiveServer server;

    @BeforeEach
    void startServer() throws Exception {
        server = LiveServer.start(dir.resolve("server-files"));
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void sendThenGetRoundTripsAMultiMebibyteFileWithEqualSha256() throws Exception {
        Path original = TestFiles.randomFile(dir.resolve("random.bin"), 6 * 1024 * 1024 + 12345, 1);
        String sha256 = TestFiles.sha256(original);

        Cli.Result sent = Cli.run(server.port(), "send", original.toString(), "--name", "big.bin");
        assertEquals(0, sent.exit(), sent.toString());
        assertTrue(sent.out().contains("as big.bin: 6.0 MiB (6303801 bytes)"), sent.toString());
        assertTrue(sent.out().contains("sha256 " + sha256), "the receipt's SHA-256 is the file's: " + sent);
        // Not a terminal: plain progress lines on standard error, ending at 100%.
        String[] progress = sent.err().split("\n");
        assertTrue(progress.length >= 5 && progress.length <= 11, "a line at every tenth: " + sent.err());
        for (String line : progress) {
            assertTrue(line.matches("sent big\\.bin: \\d+% \\(.* of 6\\.0 MiB\\)"), line);
        }
        assertEquals("sent big.bin: 100% (6.0 MiB of 6.0 MiB)", progress[progress.length - 1]);
        assertEquals(sha256, TestFiles.sha256(server.filesDir().resolve("big.bin")), "the server stored it intact");

        Path copy = dir.resolve("copy.bin");
        Cli.Result got = Cli.run(server.port(), "get", "big.bin", "--output", copy.toString());
        assertEquals(0, got.exit(), got.toString());
        assertEquals(sha256, TestFiles.sha256(copy));
        assertTrue(got.out().contains("(6303801 bytes, as on the server)") && got.out().contains("sha256 " + sha256),
                got.toString());
        try (var listing = Files.list(dir)) {
            assertTrue(listing.noneMatch(file -> file.getFileName().toString().startsWith(".copy.bin")),
                    "no temporary file is left beside the output");
        }
    }

    @Test
    void getToStandardOutputWritesTheBytesThereAndTheSummaryToStandardError() throws Exception {
        Path original = TestFiles.randomFile(dir.resolve("small.bin"), 3000, 2);
        assertEquals(0, Cli.run(server.port(), "send", original.toString()).exit());

        Cli.Result got = Cli.run(server.port(), "get", "small.bin", "-o", "-", "--chunk-size", "1KiB");
        assertEquals(0, got.exit(), got.toString());
        assertArrayEquals(Files.readAllBytes(original), got.outBytes());
        assertTrue(got.err().contains("got small.bin: 2.9 KiB (3000 bytes, as on the server)"), got.err());
    }

    @Test
    void emptyFileIsOneLastChunkBothWays() throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.txt"));
        Cli.Result sent = Cli.run(server.port(), "send", empty.toString());
        assertEquals(0, sent.exit(), sent.toString());
        assertTrue(sent.out().contains("(0 bytes)"), sent.out());

        Path copy = dir.resolve("empty-copy.txt");
        assertEquals(0, Cli.run(server.port(), "get", "empty.txt", "-o", copy.toString()).exit());
        assertEquals(0, Files.size(copy));
    }

    @Test
    void onATerminalTheProgressIsOneBarRedrawnInPlace() throws Exception {
        Path original = TestFiles.randomFile(dir.resolve("bar.bin"), 2 * 1024 * 1024, 3);
        Cli.Result sent = Cli.run(new Terminal(true, 100), new ByteArrayInputStream(new byte[0]),
                Cli.withPort(server.port(), "send", original.toString()));
        assertEquals(0, sent.exit(), sent.toString());
        String last = sent.err().substring(sent.err().lastIndexOf('\r') + 1);
        assertTrue(last.startsWith("bar.bin [====") && last.contains("] 100%  2.0 MiB / 2.0 MiB"), last);
        assertEquals(99 + "\n".length(), last.length(),
                "as wide as the terminal but one column, then the newline: '" + last + "'");
        assertFalse(sent.err().contains("sent bar.bin: 50%"), "no plain lines on a terminal");
    }

    @Test
    void lsShowsNamesSizesAndTimesAndRmDeletes() throws Exception {
        Cli.Result empty = Cli.run(server.port(), "ls");
        assertEquals(0, empty.exit(), empty.toString());
        assertTrue(empty.out().startsWith("no files\n0 files, 0 B used"), empty.out());

        assertEquals(0, Cli.run(server.port(), "send",
                TestFiles.randomFile(dir.resolve("a.bin"), 1536, 4).toString()).exit());
        assertEquals(0, Cli.run(server.port(), "send",
                TestFiles.randomFile(dir.resolve("b.bin"), 3 * 1024 * 1024, 5).toString(), "--name", "b-file").exit());

        Cli.Result listed = Cli.run(server.port(), "ls");
        assertEquals(0, listed.exit(), listed.toString());
        String[] lines = listed.out().split("\n");
        assertTrue(lines[0].matches("NAME\\s+SIZE\\s+MODIFIED"), lines[0]);
        assertTrue(lines[1].matches("a\\.bin\\s+1\\.5 KiB\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d"), lines[1]);
        assertTrue(lines[2].matches("b-file\\s+3\\.0 MiB\\s+\\d{4}-.*"), lines[2]);
        assertTrue(lines[3].startsWith("2 files, 3.0 MiB used of 10.0 GiB"), lines[3]);

        Cli.Result exact = Cli.run(server.port(), "ls", "--bytes");
        assertTrue(exact.out().contains(" 3145728  "), exact.out());

        Cli.Result removed = Cli.run(server.port(), "rm", "b-file");
        assertEquals(0, removed.exit(), removed.toString());
        assertEquals("deleted b-file (3.0 MiB)\n", removed.out());
        assertFalse(Files.exists(server.filesDir().resolve("b-file")));
    }

    @Test
    void whatTheServerRefusesIsExitOneWithItsCodeAndSentence() throws Exception {
        Cli.Result rm = Cli.run(server.port(), "rm", "nothing-here");
        assertEquals(1, rm.exit(), rm.toString());
        assertTrue(rm.err().startsWith("courier: not_found: ") && rm.err().contains("nothing-here"), rm.err());
        assertEquals("", rm.out());

        Cli.Result get = Cli.run(server.port(), "get", "nothing-here", "-o", dir.resolve("x").toString());
        assertEquals(1, get.exit(), get.toString());
        assertTrue(get.err().startsWith("courier: not_found: "), get.err());
        assertFalse(Files.exists(dir.resolve("x")), "nothing is written for a failed download");
        try (var listing = Files.list(dir)) {
            assertTrue(listing.noneMatch(file -> file.getFileName().toString().startsWith(".x")),
                    "and no temporary file is left");
        }

        Cli.Result badName = Cli.run(server.port(), "send",
                TestFiles.randomFile(dir.resolve("ok.bin"), 10, 6).toString(), "--name", "../escape");
        assertEquals(1, badName.exit(), badName.toString());
        assertTrue(badName.err().startsWith("courier: bad_request: "), badName.err());
    }

    @Test
    void aLocalFileOrDirectoryThatDoesNotExistIsExitOneBeforeConnecting() {
        Cli.Result result = Cli.run(server.port(), "send", dir.resolve("missing.bin").toString());
        assertEquals(1, result.exit(), result.toString());
        assertEquals("courier: no such file: " + dir.resolve("missing.bin") + "\n", result.err());

        Cli.Result get = Cli.run(server.port(), "get", "x", "-o", dir.resolve("no-dir/x").toString());
        assertEquals(1, get.exit(), get.toString());
        assertEquals("courier: no such directory: " + dir.resolve("no-dir") + "\n", get.err());
    }
}
