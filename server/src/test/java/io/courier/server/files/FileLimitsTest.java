package io.courier.server.files;

import com.fasterxml.jackson.databind.JsonNode;
import io.courier.protocol.Message;
import io.courier.protocol.client.MessageClient;
import io.courier.server.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static io.courier.server.files.FileTestSupport.WAIT;
import static io.courier.server.files.FileTestSupport.call;
import static io.courier.server.files.FileTestSupport.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** max-file-bytes and max-files-bytes: clear limit_exceeded errors, nothing half-written, space freed by delete. */
@Timeout(60)
class FileLimitsTest {
    @TempDir
    Path dir;

    @Test
    void fileOverMaxFileBytesIsRefusedChunkByChunk() throws Exception {
        try (Server server = FileTestSupport.start(dir, b -> b.maxFileBytes(1000));
             MessageClient client = MessageClient.connect(server.localAddress())) {
            assertTrue(put(client, "big", 0, false, new byte[600]).isOk());
            Message over = put(client, "big", 600, true, new byte[600]);
            assertEquals("limit_exceeded", over.errorCode(), over.toString());
            JsonNode error = over.header().path("error");
            assertEquals("max-file-bytes", error.path("limit").asText());
            assertEquals(1000, error.path("max").asLong());
            assertTrue(over.errorMessage().contains("1200 bytes long"), over.errorMessage());
            assertEquals(600, call(client, "file.status", "big").header().path("stored").asLong(),
                    "the refused chunk wrote nothing");
            assertTrue(put(client, "big", 600, true, new byte[400]).isOk(), "exactly the limit is allowed");

            Message single = put(client, "huge", 0, true, new byte[1001]);
            assertEquals("limit_exceeded", single.errorCode(), single.toString());
            assertFalse(Files.exists(dir.resolve("huge")));
        }
    }

    @Test
    void totalOverMaxFilesBytesIsRefusedUntilSomethingIsDeleted() throws Exception {
        try (Server server = FileTestSupport.start(dir, b -> b.maxFileBytes(1000).maxFilesBytes(1500));
             MessageClient client = MessageClient.connect(server.localAddress())) {
            assertTrue(put(client, "a", 0, true, new byte[1000]).isOk());
            Message full = put(client, "b", 0, true, new byte[600]);
            assertEquals("limit_exceeded", full.errorCode(), full.toString());
            assertEquals("max-files-bytes", full.header().path("error").path("limit").asText());
            assertTrue(full.errorMessage().contains("1000 of max-files-bytes 1500"), full.errorMessage());
            assertFalse(Files.exists(dir.resolve("b")));

            // Partial uploads take space too.
            assertTrue(put(client, "c", 0, false, new byte[400]).isOk());
            assertEquals("limit_exceeded", put(client, "d", 0, true, new byte[200]).errorCode());
            assertEquals(1400, client.call(Message.of("file.list"), WAIT).header().path("used_bytes").asLong());

            assertTrue(call(client, "file.delete", "a").isOk());
            assertTrue(put(client, "b", 0, true, new byte[600]).isOk(), "deleting freed the space");
            assertEquals(1000, client.call(Message.of("file.list"), WAIT).header().path("used_bytes").asLong());
        }
    }

    @Test
    void existingFilesCountAtStart() throws Exception {
        Files.write(dir.resolve("old"), new byte[900]);
        try (Server server = FileTestSupport.start(dir, b -> b.maxFilesBytes(1000));
             MessageClient client = MessageClient.connect(server.localAddress())) {
            assertEquals("limit_exceeded", put(client, "new", 0, true, new byte[101]).errorCode());
            assertTrue(put(client, "new", 0, true, new byte[100]).isOk());
        }
    }
}
