package io.courier.server.files;

import com.fasterxml.jackson.databind.JsonNode;
import io.courier.protocol.Json;
import io.courier.protocol.Message;
import io.courier.protocol.client.MessageClient;
import io.courier.server.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.courier.server.files.FileTestSupport.WAIT;
import static io.courier.server.files.FileTestSupport.call;
import static io.courier.server.files.FileTestSupport.chunk;
import static io.courier.server.files.FileTestSupport.put;
import static io.courier.server.files.FileTestSupport.random;
import static io.courier.server.files.FileTestSupport.sha256;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** file.put: chunks, the completion receipt, checksums, atomic appearance, offsets; binary and JSON text. */
@Timeout(60)
class FileUploadTest {
    @TempDir
    Path dir;
    private Server server;
    private MessageClient client;

    @BeforeEach
    void start() throws Exception {
        server = FileTestSupport.start(dir, b -> b);
        client = MessageClient.connect(server.localAddress());
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        server.close();
    }

    @Test
    void chunkedUploadEndsWithReceiptCarryingSizeAndSha256() throws Exception {
        byte[] data = random(1_000_123, 1);
        int chunkSize = 64 * 1024;
        List<CompletableFuture<Message>> replies = new ArrayList<>();
        for (int offset = 0; offset < data.length; offset += chunkSize) {
            int end = Math.min(data.length, offset + chunkSize);
            Message request = chunk("data.bin", offset, end == data.length, Arrays.copyOfRange(data, offset, end));
            if (offset == 0) {
                request.with("sha256", sha256(data).toUpperCase(java.util.Locale.ROOT)); // case does not matter
            }
            replies.add(client.request(request)); // pipelined: the worker lane keeps them in order
        }
        long expectedStored = 0;
        for (int i = 0; i < replies.size(); i++) {
            Message reply = replies.get(i).get(10, TimeUnit.SECONDS);
            assertTrue(reply.isOk(), reply.toString());
            expectedStored = Math.min(data.length, (long) (i + 1) * chunkSize);
            assertEquals(expectedStored, reply.header().path("stored").asLong(), reply.toString());
            assertEquals(i == replies.size() - 1, reply.header().path("complete").asBoolean(), reply.toString());
        }
        Message receipt = replies.get(replies.size() - 1).join();
        assertEquals(data.length, receipt.header().path("size").asLong());
        assertEquals(sha256(data), receipt.header().path("sha256").asText());
        assertEquals("data.bin", receipt.header().path("name").asText());
        assertArrayEquals(data, Files.readAllBytes(dir.resolve("data.bin")));
        assertFalse(Files.exists(dir.resolve(".data.bin.part")), "no partial file is left behind");
    }

    @Test
    void fileAppearsOnlyWhenTheLastChunkHasArrived() throws Exception {
        byte[] data = random(30_000, 2);
        assertTrue(put(client, "atomic.bin", 0, false, Arrays.copyOfRange(data, 0, 10_000)).isOk());
        assertTrue(put(client, "atomic.bin", 10_000, false, Arrays.copyOfRange(data, 10_000, 20_000)).isOk());

        assertFalse(Files.exists(dir.resolve("atomic.bin")), "no file under its name before the last chunk");
        assertEquals(0, client.call(Message.of("file.list"), WAIT).header().path("files").size());
        assertEquals("not_found", call(client, "file.get", "atomic.bin").errorCode());
        Message status = call(client, "file.status", "atomic.bin");
        assertEquals(20_000, status.header().path("stored").asLong(), status.toString());
        assertFalse(status.header().path("exists").asBoolean(), status.toString());
        assertTrue(status.header().path("uploading").asBoolean(), status.toString());

        Message receipt = put(client, "atomic.bin", 20_000, true, Arrays.copyOfRange(data, 20_000, 30_000));
        assertTrue(receipt.header().path("complete").asBoolean(), receipt.toString());
        assertArrayEquals(data, Files.readAllBytes(dir.resolve("atomic.bin")));
        JsonNode files = client.call(Message.of("file.list"), WAIT).header().path("files");
        assertEquals("atomic.bin", files.path(0).path("name").asText());
        assertEquals(30_000, files.path(0).path("size").asLong());
    }

    @Test
    void checksumMismatchIsReportedAndTheFileIsNotKept() throws Exception {
        byte[] data = random(5_000, 3);
        String wrong = sha256("something else".getBytes(StandardCharsets.UTF_8));
        assertTrue(put(client, "bad.bin", 0, false, Arrays.copyOfRange(data, 0, 2_000)).isOk());
        Message reply = client.call(chunk("bad.bin", 2_000, true, Arrays.copyOfRange(data, 2_000, 5_000))
                .with("sha256", wrong), WAIT);

        assertFalse(reply.isOk());
        assertEquals("checksum_mismatch", reply.errorCode(), reply.toString());
        JsonNode error = reply.header().path("error");
        assertEquals(wrong, error.path("expected").asText());
        assertEquals(sha256(data), error.path("actual").asText());
        assertTrue(reply.errorMessage().contains("not kept"), reply.errorMessage());
        assertFalse(Files.exists(dir.resolve("bad.bin")));
        assertFalse(Files.exists(dir.resolve(".bad.bin.part")), "the received bytes are discarded");
        assertEquals(0, call(client, "file.status", "bad.bin").header().path("stored").asLong());
        // The name is free again: a correct upload goes through.
        Message receipt = client.call(chunk("bad.bin", 0, true, data).with("sha256", sha256(data)), WAIT);
        assertTrue(receipt.isOk(), receipt.toString());
    }

    @Test
    void wrongOffsetIsABadRequestNamingTheExpectedOffset() throws Exception {
        assertTrue(put(client, "gap.bin", 0, false, new byte[100]).isOk());
        Message gap = put(client, "gap.bin", 150, false, new byte[10]);
        assertEquals("bad_request", gap.errorCode());
        assertEquals(100, gap.header().path("error").path("expected_offset").asLong(), gap.toString());
        assertTrue(gap.errorMessage().contains("offset 100"), gap.errorMessage());
        Message overlap = put(client, "gap.bin", 50, false, new byte[10]);
        assertEquals(100, overlap.header().path("error").path("expected_offset").asLong(), overlap.toString());
        // Nothing was written by the refused chunks.
        Message done = put(client, "gap.bin", 100, true, new byte[1]);
        assertEquals(101, done.header().path("size").asLong(), done.toString());
    }

    @Test
    void resumingANameThatWasNeverStartedMustBeginAtZero() throws Exception {
        Message reply = put(client, "never.bin", 10, false, new byte[5]);
        assertEquals("bad_request", reply.errorCode());
        assertEquals(0, reply.header().path("error").path("expected_offset").asLong(), reply.toString());
    }

    @Test
    void offsetZeroStartsOverAndALaterUploadReplacesTheFile() throws Exception {
        put(client, "again.txt", 0, false, "discarded".getBytes(StandardCharsets.UTF_8));
        Message first = put(client, "again.txt", 0, true, "first".getBytes(StandardCharsets.UTF_8));
        assertEquals(5, first.header().path("size").asLong(), first.toString());
        Message second = put(client, "again.txt", 0, true, "second!".getBytes(StandardCharsets.UTF_8));
        assertEquals(7, second.header().path("size").asLong(), second.toString());
        assertEquals("second!", Files.readString(dir.resolve("again.txt")));
        assertEquals(7, client.call(Message.of("file.list"), WAIT).header().path("used_bytes").asLong());
    }

    @Test
    void emptyFileIsOneEmptyLastChunk() throws Exception {
        Message receipt = put(client, "empty", 0, true, new byte[0]);
        assertEquals(0, receipt.header().path("size").asLong(), receipt.toString());
        assertEquals(sha256(new byte[0]), receipt.header().path("sha256").asText());
        assertEquals(0, Files.size(dir.resolve("empty")));
    }

    @Test
    void badFieldsAreBadRequestsThatSayWhatIsWrong() throws Exception {
        Message noName = client.call(Message.of("file.put").with("offset", 0), WAIT);
        assertEquals("bad_request", noName.errorCode());
        assertTrue(noName.errorMessage().contains("\"name\""), noName.errorMessage());
        Message negative = put(client, "x", -1, false, new byte[1]);
        assertTrue(negative.errorMessage().contains("\"offset\" must be 0 or more"), negative.errorMessage());
        Message textOffset = client.call(Message.of("file.put").with("name", "x").with("offset", "12"), WAIT);
        assertTrue(textOffset.errorMessage().contains("whole number"), textOffset.errorMessage());
        Message shortSha = client.call(chunk("x", 0, true, new byte[1]).with("sha256", "abc"), WAIT);
        assertTrue(shortSha.errorMessage().contains("64 hexadecimal digits"), shortSha.errorMessage());
        Message lastText = client.call(Message.of("file.put").with("name", "x").with("last", "yes"), WAIT);
        assertTrue(lastText.errorMessage().contains("true or false"), lastText.errorMessage());
    }

    /** The same upload in JSON text: the chunk travels base64-encoded in body_base64, replies come one per line. */
    @Test
    void smallUploadInJsonTextWithBodyBase64() throws Exception {
        byte[] data = "hello, 世界\n".getBytes(StandardCharsets.UTF_8);
        String line = "{\"type\":\"file.put\",\"id\":7,\"name\":\"hello.txt\",\"offset\":0,\"last\":true,"
                + "\"sha256\":\"" + sha256(data) + "\",\"body_base64\":\"" + Base64.getEncoder().encodeToString(data)
                + "\"}\n";
        try (Socket socket = new Socket(server.localAddress().getAddress(), server.port())) {
            socket.setSoTimeout((int) WAIT.toMillis());
            socket.getOutputStream().write(line.getBytes(StandardCharsets.UTF_8));
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.UTF_8));
            JsonNode receipt = Json.MAPPER.readTree(in.readLine());
            assertEquals(7, receipt.path("id").asInt(), receipt.toString());
            assertTrue(receipt.path("ok").asBoolean(), receipt.toString());
            assertEquals(data.length, receipt.path("size").asLong());
            assertEquals(sha256(data), receipt.path("sha256").asText());

            socket.getOutputStream().write("{\"type\":\"file.get\",\"id\":8,\"name\":\"hello.txt\"}\n"
                    .getBytes(StandardCharsets.UTF_8));
            JsonNode got = Json.MAPPER.readTree(in.readLine());
            assertArrayEquals(data, Base64.getDecoder().decode(got.path("body_base64").asText()), got.toString());
            assertTrue(got.path("last").asBoolean(), got.toString());
        }
        assertArrayEquals(data, Files.readAllBytes(dir.resolve("hello.txt")));
    }
}
