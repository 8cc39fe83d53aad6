package io.courier.protocol.client;

import io.courier.cli.support.LiveServer;
import io.courier.cli.support.TestFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The file helpers of the Java client against a real server. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RemoteFilesTest {
    @TempDir
    Path dir;

    private LiveServer server;

    @BeforeEach
    void startServer() throws Exception {
        server = LiveServer.start(dir.resolve("server"));
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void uploadListStatusDownloadDeleteWithProgressThatOnlyGoesUp() throws Exception {
        Path file = TestFiles.randomFile(dir.resolve("f.bin"), 3 * 1024 * 1024 + 1, 31);
        try (MessageClient client = server.client()) {
            RemoteFiles files = new RemoteFiles(client).chunkBytes(100_000).window(3);
            List<Long> progress = new ArrayList<>();
            UploadReceipt receipt = files.upload(file, "f.bin", (done, total) -> progress.add(done));
            assertEquals(new UploadReceipt("f.bin", Files.size(file), TestFiles.sha256(file), 0, false), receipt);
            assertEquals(32, progress.size(), "one step per chunk");
            for (int i = 1; i < progress.size(); i++) {
                assertTrue(progress.get(i) > progress.get(i - 1), progress.toString());
            }

            RemoteFiles.Listing listing = files.list();
            assertEquals(1, listing.files().size());
            assertEquals("f.bin", listing.files().get(0).name());
            assertEquals(Files.size(file), listing.files().get(0).size());

            RemoteFiles.Status status = files.status("f.bin");
            assertTrue(status.exists() && !status.uploading() && status.stored() == 0, status.toString());
            assertEquals(Files.size(file), status.size());

            ByteArrayOutputStream out = new ByteArrayOutputStream();
            DownloadResult result = files.download("f.bin", out, TransferProgress.NONE);
            assertArrayEquals(Files.readAllBytes(file), out.toByteArray());
            assertEquals(TestFiles.sha256(file), result.sha256());
            assertEquals(status.modifiedMillis(), result.modifiedMillis());

            assertEquals(new RemoteFiles.Deleted("f.bin", Files.size(file), 0), files.delete("f.bin"));
            assertFalse(files.status("f.bin").exists());
            ErrorReplyException gone = assertThrows(ErrorReplyException.class,
                    () -> files.download("f.bin", dir.resolve("gone.bin"), TransferProgress.NONE));
            assertEquals("not_found", gone.code());
        }
    }

    @Test
    void aServerWithASmallerBodyLimitThanTheChunkIsAClearError() throws Exception {
        try (MessageClient client = server.client()) {
            RemoteFiles files = new RemoteFiles(client).chunkBytes(64 * 1024);
            Path file = TestFiles.randomFile(dir.resolve("g.bin"), 200_000, 32);
            files.upload(file, "g.bin", TransferProgress.NONE);
            // Asking for more than max-body-bytes (16 MiB) per chunk: the server sends at most that much.
            RemoteFiles greedy = new RemoteFiles(client).chunkBytes(17 * 1024 * 1024);
            Path big = TestFiles.randomFile(dir.resolve("big.bin"), 17 * 1024 * 1024 + 1, 33);
            files.chunkBytes(1024 * 1024).upload(big, "big.bin", TransferProgress.NONE);
            Exception e = assertThrows(java.io.IOException.class,
                    () -> greedy.download("big.bin", new ByteArrayOutputStream(), TransferProgress.NONE));
            assertTrue(e.getMessage().contains("its max-body-bytes is smaller than the chunk size"), e.getMessage());
        }
    }
}
