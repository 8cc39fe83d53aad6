package io.courier.protocol.client;

import io.courier.cli.support.LiveServer;
import io.courier.cli.support.TestFiles;
import io.courier.protocol.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** README's "Java client" example, as written there but for the port and the paths, so it keeps compiling and working. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReadmeExampleTest {
    @TempDir
    Path dir;

    @Test
    void theReadmeExampleRuns() throws Exception {
        List<String> printed = new CopyOnWriteArrayList<>();
        Path report = TestFiles.randomFile(dir.resolve("report.pdf"), 600_000, 51);
        try (LiveServer server = LiveServer.start(dir.resolve("files"));
             MessageClient client = MessageClient.connect("127.0.0.1", server.port())) {
            Duration timeout = Duration.ofSeconds(10);
            Message pong = client.callOk(Message.of("ping"), timeout);
            assertTrue(pong.header().path("time").asLong() > 0);

            RemoteFiles files = new RemoteFiles(client);
            UploadReceipt receipt = files.upload(report, "report.pdf",
                    (done, total) -> printed.add(String.format("%d of %d bytes%n", done, total)));
            printed.add(receipt.sha256() + ", resumed at " + receipt.resumedFrom());
            files.download("report.pdf", dir.resolve("copy.pdf"), TransferProgress.NONE);
            files.list().files().forEach(f -> printed.add(f.name() + " " + f.size()));

            try (ChatRoom room = ChatRoom.join(client, "lobby", "ann", new RoomListener() {
                    @Override public void onMessage(String name, String text, Message event) {
                        printed.add(name + ": " + text);
                    }
                    @Override public void onLeft(String name, String reason) {
                        printed.add(name + " " + reason);
                    }
                }, timeout)) {
                room.say("hello").get();
            }
        }
        assertTrue(printed.contains("600000 of 600000 bytes\n"), printed.toString());
        assertTrue(printed.contains(TestFiles.sha256(report) + ", resumed at 0"), printed.toString());
        assertTrue(printed.contains("report.pdf 600000"), printed.toString());
        assertTrue(printed.contains("ann: hello"), printed.toString());
        assertEquals(TestFiles.sha256(report), TestFiles.sha256(dir.resolve("copy.pdf")));
    }
}
