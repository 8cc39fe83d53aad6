package io.courier.server.files;

import io.courier.protocol.Message;
import io.courier.protocol.client.MessageClient;
import io.courier.server.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

import static io.courier.server.files.FileTestSupport.WAIT;
import static io.courier.server.files.FileTestSupport.call;
import static io.courier.server.files.FileTestSupport.chunk;
import static io.courier.server.files.FileTestSupport.put;
import static io.courier.server.files.FileTestSupport.random;
import static io.courier.server.files.FileTestSupport.sha256;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Uploads across connections: resume after a disconnect or a restart, one uploader per name, stale partials. */
@Timeout(60)
class FileResumeTest {
    @TempDir
    Path dir;

    @Test
    void uploadCutByADisconnectIsResumedFromANewConnection() throws Exception {
        byte[] data = random(300_000, 10);
        try (Server server = FileTestSupport.start(dir, b -> b)) {
            try (MessageClient first = MessageClient.connect(server.localAddress())) {
                // The checksum is announced with the first chunk and still checked after the resume.
                assertTrue(first.call(chunk("big.bin", 0, false, Arrays.copyOfRange(data, 0, 100_000))
                        .with("sha256", sha256(data)), WAIT).isOk());
                assertTrue(put(first, "big.bin", 100_000, false, Arrays.copyOfRange(data, 100_000, 200_000)).isOk());
            } // connection lost mid-upload
            assertTrue(Files.exists(dir.resolve(".big.bin.part")), "the partial upload is kept for resuming");
            assertFalse(Files.exists(dir.resolve("big.bin")));

            try (MessageClient second = MessageClient.connect(server.localAddress())) {
                await().atMost(WAIT).until(() -> !call(second, "file.status", "big.bin").header()
                        .path("uploading").asBoolean());
                long stored = call(second, "file.status", "big.bin").header().path("stored").asLong();
                assertEquals(200_000, stored);
                Message receipt = put(second, "big.bin", stored, true,
                        Arrays.copyOfRange(data, (int) stored, data.length));
                assertTrue(receipt.isOk(), receipt.toString());
                assertEquals(sha256(data), receipt.header().path("sha256").asText());
            }
            assertArrayEquals(data, Files.readAllBytes(dir.resolve("big.bin")));
        }
    }

    @Test
    void partialUploadSurvivesAServerRestart() throws Exception {
        byte[] data = random(50_000, 11);
        try (Server server = FileTestSupport.start(dir, b -> b);
             MessageClient client = MessageClient.connect(server.localAddress())) {
            assertTrue(put(client, "restart.bin", 0, false, Arrays.copyOfRange(data, 0, 30_000)).isOk());
        }
        try (Server server = FileTestSupport.start(dir, b -> b);
             MessageClient client = MessageClient.connect(server.localAddress())) {
            assertEquals(30_000, call(client, "file.status", "restart.bin").header().path("stored").asLong());
            Message wrong = put(client, "restart.bin", 20_000, true, new byte[1]);
            assertEquals(30_000, wrong.header().path("error").path("expected_offset").asLong(), wrong.toString());
            // The server re-reads the stored bytes to continue the SHA-256.
            Message receipt = put(client, "restart.bin", 30_000, true, Arrays.copyOfRange(data, 30_000, 50_000));
            assertEquals(sha256(data), receipt.header().path("sha256").asText(), receipt.toString());
        }
    }

    @Test
    void secondUploadToTheSameNameAtOnceIsAConflict() throws Exception {
        try (Server server = FileTestSupport.start(dir, b -> b);
             MessageClient alice = MessageClient.connect(server.localAddress());
             MessageClient bob = MessageClient.connect(server.localAddress())) {
            assertTrue(put(alice, "shared.txt", 0, false, "alice ".getBytes()).isOk());

            Message clash = put(bob, "shared.txt", 0, false, "bob".getBytes());
            assertEquals("conflict", clash.errorCode(), clash.toString());
            assertTrue(clash.errorMessage().contains("another connection"), clash.errorMessage());
            Message clashAtOffset = put(bob, "shared.txt", 6, true, "bob".getBytes());
            assertEquals("conflict", clashAtOffset.errorCode(), clashAtOffset.toString());
            // Bob's other names are not affected.
            assertTrue(put(bob, "other.txt", 0, true, "bob".getBytes()).isOk());

            assertTrue(put(alice, "shared.txt", 6, true, "wins".getBytes()).isOk());
            assertEquals("alice wins", Files.readString(dir.resolve("shared.txt")));
            // Once Alice's upload is complete the name is free for a new upload.
            assertTrue(put(bob, "shared.txt", 0, true, "bob now".getBytes()).isOk());
            assertEquals("bob now", Files.readString(dir.resolve("shared.txt")));
        }
    }

    @Test
    void uploadsOverUdpAreRefusedSoADatagramCannotHoldANameForever() throws Exception {
        try (Server server = FileTestSupport.start(dir, b -> b.listen("tcp:127.0.0.1:0").listen("udp:127.0.0.1:0"));
             java.net.DatagramSocket socket = new java.net.DatagramSocket()) {
            socket.setSoTimeout((int) WAIT.toMillis());
            byte[] request = "{\"type\":\"file.put\",\"name\":\"u.bin\",\"last\":true}".getBytes();
            socket.send(new java.net.DatagramPacket(request, request.length, server.localAddresses().get(1)));
            java.net.DatagramPacket reply = new java.net.DatagramPacket(new byte[2048], 2048);
            socket.receive(reply);
            String text = new String(reply.getData(), 0, reply.getLength(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(text.contains("\"bad_request\"") && text.contains("needs a connection"), text);
            try (MessageClient client = MessageClient.connect(server.localAddress())) {
                assertTrue(put(client, "u.bin", 0, true, new byte[1]).isOk(), "the name is free");
            }
        }
    }

    @Test
    void stalePartialUploadsAreDeletedAfterPartialMaxAge() throws Exception {
        Files.write(dir.resolve(".old.bin.part"), new byte[1234]);
        Files.setLastModifiedTime(dir.resolve(".old.bin.part"), FileTime.from(Instant.now().minus(Duration.ofHours(2))));
        Files.write(dir.resolve(".recent.bin.part"), new byte[10]);
        try (Server server = FileTestSupport.start(dir, b -> b.partialMaxAge(Duration.ofHours(1)));
             MessageClient client = MessageClient.connect(server.localAddress())) {
            Message list = client.call(Message.of("file.list"), WAIT); // the first listing sweeps
            assertFalse(Files.exists(dir.resolve(".old.bin.part")), "older than partial-max-age: deleted");
            assertTrue(Files.exists(dir.resolve(".recent.bin.part")), "younger: kept for resuming");
            assertEquals(10, list.header().path("used_bytes").asLong(), list.toString());
            assertEquals(0, call(client, "file.status", "old.bin").header().path("stored").asLong());
            assertEquals(10, call(client, "file.status", "recent.bin").header().path("stored").asLong());
        }
    }
}
