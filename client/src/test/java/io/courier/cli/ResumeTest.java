package io.courier.cli;

import io.courier.cli.support.Cli;
import io.courier.cli.support.LiveServer;
import io.courier.cli.support.TestFiles;
import io.courier.protocol.Message;
import io.courier.protocol.client.MessageClient;
import io.courier.protocol.client.RemoteFiles;
import io.courier.protocol.client.TransferProgress;
import io.courier.protocol.client.UploadReceipt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.courier.cli.support.LiveServer.TIMEOUT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An upload cut off by a dropped connection continues where the server stopped, not from 0. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ResumeTest {
    private static final int CHUNK = 256 * 1024;

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
    void sendAfterAnInterruptedUploadResumesFromTheStoredOffset() throws Exception {
        Path file = TestFiles.randomFile(dir.resolve("movie.bin"), 5 * 1024 * 1024, 11);
        long stored = interruptUploadAfter(file, "movie.bin", 4);
        assertEquals(4L * CHUNK, stored, "the server kept the four acknowledged chunks");

        long bytesInBefore = server.bytesIn();
        Cli.Result sent = Cli.run(server.port(), "send", file.toString());
        long bytesSent = server.bytesIn() - bytesInBefore;

        assertEquals(0, sent.exit(), sent.toString());
        assertTrue(sent.err().startsWith("resuming movie.bin at 1.0 MiB of 5.0 MiB"), sent.err());
        assertTrue(sent.out().contains(", resumed at byte " + stored), sent.out());
        assertTrue(sent.out().contains("sha256 " + TestFiles.sha256(file)), sent.out());
        assertEquals(TestFiles.sha256(file), TestFiles.sha256(server.filesDir().resolve("movie.bin")));
        long rest = Files.size(file) - stored;
        assertTrue(bytesSent >= rest && bytesSent < rest + 64 * 1024,
                "only the missing " + rest + " bytes (and a few headers) went over the wire, not the whole file: "
                        + bytesSent);
    }

    @Test
    void libraryUploadReportsWhereItResumedAndProgressStartsThere() throws Exception {
        Path file = TestFiles.randomFile(dir.resolve("lib.bin"), 2 * 1024 * 1024 + 7, 12);
        long stored = interruptUploadAfter(file, "lib.bin", 2);

        List<Long> starts = new ArrayList<>();
        List<Long> advances = new ArrayList<>();
        try (MessageClient client = server.client()) {
            UploadReceipt receipt = new RemoteFiles(client).chunkBytes(CHUNK).upload(file, "lib.bin",
                    new TransferProgress() {
                        @Override
                        public void started(long from, long total) {
                            starts.add(from);
                        }

                        @Override
                        public void advanced(long done, long total) {
                            advances.add(done);
                        }
                    });
            assertEquals(stored, receipt.resumedFrom());
            assertFalse(receipt.restarted());
            assertEquals(Files.size(file), receipt.size());
            assertEquals(TestFiles.sha256(file), receipt.sha256());
        }
        assertEquals(List.of(stored), starts);
        assertEquals(stored + CHUNK, advances.get(0), "the first chunk sent is the one after the stored bytes");
        assertEquals(Files.size(file), advances.get(advances.size() - 1));
    }

    @Test
    void aPartialUploadThatIsNotThisFilesBeginningIsThrownAwayAndTheFileSentWhole() throws Exception {
        Path other = TestFiles.randomFile(dir.resolve("other.bin"), 3 * 1024 * 1024, 13);
        interruptUploadAfter(other, "shared-name", 2);
        Path file = TestFiles.randomFile(dir.resolve("mine.bin"), 3 * 1024 * 1024, 14);

        Cli.Result sent = Cli.run(server.port(), "send", file.toString(), "--name", "shared-name");

        assertEquals(0, sent.exit(), sent.toString());
        assertTrue(sent.err().contains("resuming shared-name at 512.0 KiB")
                && sent.err().contains("the partial upload on the server was not the start of shared-name; "
                        + "sending all of it"), sent.err());
        assertFalse(sent.out().contains("resumed at"), sent.out());
        assertEquals(TestFiles.sha256(file), TestFiles.sha256(server.filesDir().resolve("shared-name")));
    }

    @Test
    void aPartialUploadLargerThanTheFileIsNotResumed() throws Exception {
        Path big = TestFiles.randomFile(dir.resolve("big.bin"), 2 * 1024 * 1024, 15);
        interruptUploadAfter(big, "n", 4);
        Path small = TestFiles.randomFile(dir.resolve("small.bin"), 100_000, 16);

        Cli.Result sent = Cli.run(server.port(), "send", small.toString(), "--name", "n");
        assertEquals(0, sent.exit(), sent.toString());
        assertFalse(sent.err().contains("resuming"), sent.err());
        assertEquals(TestFiles.sha256(small), TestFiles.sha256(server.filesDir().resolve("n")));
    }

    /**
     * Uploads {@code file} one chunk at a time and closes the connection once {@code chunks} are acknowledged,
     * as a crash or a pulled cable would. Returns what the server then says it stored, once it has noticed.
     */
    private long interruptUploadAfter(Path file, String name, int chunks) throws Exception {
        MessageClient client = server.client();
        RemoteFiles files = new RemoteFiles(client).chunkBytes(CHUNK).window(1);
        assertThrows(IOException.class, () -> files.upload(file, name, (done, total) -> {
            if (done >= (long) chunks * CHUNK) {
                try {
                    client.close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }));
        try (MessageClient observer = server.client()) {
            await().atMost(TIMEOUT).until(() -> !observer.callOk(Message.of("file.status").with("name", name),
                    TIMEOUT).header().path("uploading").asBoolean());
            return observer.callOk(Message.of("file.status").with("name", name), TIMEOUT).header()
                    .path("stored").asLong();
        }
    }

}
