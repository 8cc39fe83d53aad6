package io.courier.server.files;

import com.fasterxml.jackson.databind.JsonNode;
import io.courier.protocol.Message;
import io.courier.protocol.client.MessageClient;
import io.courier.server.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static io.courier.server.files.FileTestSupport.WAIT;
import static io.courier.server.files.FileTestSupport.call;
import static io.courier.server.files.FileTestSupport.put;
import static io.courier.server.files.FileTestSupport.random;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** file.get, file.list, file.delete, and names that try to leave the files directory. */
@Timeout(60)
class FileAccessTest {
    @TempDir
    Path root;
    private Path dir;
    private Server server;
    private MessageClient client;

    @BeforeEach
    void start() throws Exception {
        dir = root.resolve("files");
        server = FileTestSupport.start(dir, b -> b);
        client = MessageClient.connect(server.localAddress());
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        server.close();
    }

    @Test
    void listShowsCompleteFilesSortedWithSizesAndTimes() throws Exception {
        assertEquals(0, client.call(Message.of("file.list"), WAIT).header().path("files").size(),
                "no directory yet: an empty list");
        put(client, "z.bin", 0, true, new byte[3]);
        put(client, "a b.txt", 0, true, new byte[1]);
        put(client, "报告.txt", 0, true, "你好".getBytes(StandardCharsets.UTF_8));
        put(client, "partial.bin", 0, false, new byte[5]);

        JsonNode files = client.call(Message.of("file.list"), WAIT).header().path("files");
        assertEquals(3, files.size(), files.toString());
        assertEquals(List.of("a b.txt", "z.bin", "报告.txt"),
                Stream.of(0, 1, 2).map(i -> files.path(i).path("name").asText()).toList());
        assertEquals(1, files.path(0).path("size").asLong());
        assertEquals(6, files.path(2).path("size").asLong());
        assertTrue(files.path(1).path("modified").asLong() > 1_600_000_000_000L, files.toString());
    }

    @Test
    void getReadsAFileInChunksUntilLast() throws Exception {
        byte[] data = random(20_000, 20);
        FileTestSupport.upload(client, "read.bin", data, 8192);
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        long offset = 0;
        int replies = 0;
        boolean last = false;
        while (!last) {
            Message chunk = client.call(Message.of("file.get").with("name", "read.bin").with("offset", offset)
                    .with("length", 7000), WAIT);
            assertTrue(chunk.isOk(), chunk.toString());
            assertEquals(20_000, chunk.header().path("size").asLong());
            assertEquals(offset, chunk.header().path("offset").asLong());
            copy.write(chunk.body());
            offset += chunk.bodyLength();
            last = chunk.header().path("last").asBoolean();
            replies++;
        }
        assertEquals(3, replies);
        assertArrayEquals(data, copy.toByteArray());

        Message whole = call(client, "file.get", "read.bin");
        assertArrayEquals(data, whole.body(), "without length: up to 1 MiB at once");
        Message atEnd = client.call(Message.of("file.get").with("name", "read.bin").with("offset", 20_000), WAIT);
        assertEquals(0, atEnd.bodyLength());
        assertTrue(atEnd.header().path("last").asBoolean(), atEnd.toString());
        Message past = client.call(Message.of("file.get").with("name", "read.bin").with("offset", 20_001), WAIT);
        assertEquals("bad_request", past.errorCode());
        assertTrue(past.errorMessage().contains("20000 bytes long"), past.errorMessage());
    }

    @Test
    void deleteRemovesAFileAndMissingFilesAreNotFound() throws Exception {
        put(client, "gone.txt", 0, true, "bye".getBytes(StandardCharsets.UTF_8));
        Message deleted = call(client, "file.delete", "gone.txt");
        assertTrue(deleted.isOk(), deleted.toString());
        assertEquals(3, deleted.header().path("size").asLong());
        assertFalse(Files.exists(dir.resolve("gone.txt")));
        assertEquals(0, client.call(Message.of("file.list"), WAIT).header().path("files").size());

        for (String type : List.of("file.get", "file.delete")) {
            Message missing = call(client, type, "gone.txt");
            assertEquals("not_found", missing.errorCode(), missing.toString());
            assertTrue(missing.errorMessage().contains("\"gone.txt\""), missing.errorMessage());
        }
    }

    @Test
    void deleteAlsoDiscardsAnAbandonedPartialUpload() throws Exception {
        try (MessageClient uploader = MessageClient.connect(server.localAddress())) {
            assertTrue(put(uploader, "half.bin", 0, false, new byte[700]).isOk());
            Message busy = call(client, "file.delete", "half.bin");
            assertEquals("not_found", busy.errorCode(), "an upload in progress is left alone: " + busy);
            assertTrue(Files.exists(dir.resolve(".half.bin.part")));
        }
        await().atMost(WAIT).until(() -> !call(client, "file.status", "half.bin").header().path("uploading")
                .asBoolean());
        Message deleted = call(client, "file.delete", "half.bin");
        assertEquals(700, deleted.header().path("partial_bytes").asLong(), deleted.toString());
        assertFalse(Files.exists(dir.resolve(".half.bin.part")));
        assertEquals(0, call(client, "file.status", "half.bin").header().path("stored").asLong());
    }

    @Test
    void symbolicLinksInTheDirectoryAreNotFollowed() throws Exception {
        Path secret = Files.writeString(root.resolve("secret.txt"), "outside the files directory");
        Files.createDirectories(dir);
        Files.createSymbolicLink(dir.resolve("link.txt"), secret);
        assertEquals(0, client.call(Message.of("file.list"), WAIT).header().path("files").size());
        assertEquals("not_found", call(client, "file.get", "link.txt").errorCode());
    }

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "../escape.txt     | parent directory",
        "..                | parent directory",
        "/etc/passwd       | absolute path",
        "C:\\x.txt       | absolute path",
        "sub/file.txt      | path separator",
        "sub\\file.txt   | path separator",
        ".hidden           | starts with '.'",
        "\"\"                | is empty",
    })
    void badNamesAreRefusedWithTheReason(String name, String reason) throws Exception {
        for (String type : List.of("file.put", "file.get", "file.delete", "file.status")) {
            Message reply = client.call(Message.of(type).with("name", name).with("last", true), WAIT);
            assertEquals("bad_request", reply.errorCode(), reply.toString());
            assertTrue(reply.errorMessage().contains(reason), reply.errorMessage());
        }
        try (Stream<Path> everything = Files.walk(root)) {
            assertEquals(List.of(root), everything.filter(p -> !p.equals(dir)).toList(),
                    "nothing was created anywhere");
        }
    }

    @Test
    void controlCharactersAndOverlongNamesAreRefused() throws Exception {
        Message newline = call(client, "file.put", "two\nlines");
        assertTrue(newline.errorMessage().contains("control character U+000A"), newline.errorMessage());
        Message nul = call(client, "file.put", "nul\0byte");
        assertTrue(nul.errorMessage().contains("U+0000"), nul.errorMessage());
        Message long201 = call(client, "file.put", "x".repeat(201));
        assertTrue(long201.errorMessage().contains("201 bytes"), long201.errorMessage());
        Message number = client.call(Message.of("file.get").with("name", 5), WAIT);
        assertTrue(number.errorMessage().contains("\"name\" must be a string"), number.errorMessage());
    }
}
