package io.courier.server.auth;

import io.courier.protocol.Framing;
import io.courier.protocol.Message;
import io.courier.server.Server;
import io.courier.server.support.Frames;
import io.courier.server.support.RawClient;
import io.courier.server.support.TestServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static io.courier.server.support.TestServers.REPLY_TIMEOUT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What one client, and all clients together, can make the server hold is bounded, and past a bound it says which. */
class ClientLimitsTest {
    @TempDir
    Path dir;

    /** The reply to {@code request}, passing over the room events that arrive in between. */
    private static Message call(RawClient client, Message request) throws Exception {
        client.send(request);
        Message next;
        do {
            next = client.read(REPLY_TIMEOUT);
        } while (!next.isReply());
        return next;
    }

    private static List<Message> untilEof(RawClient client) {
        try {
            return client.readUntilEof(REPLY_TIMEOUT.multipliedBy(6));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Message join(RawClient client, String room, String name) throws Exception {
        return call(client, Message.of("room.join").with("id", 1).with("room", room).with("name", name));
    }

    private static void assertLimit(Message reply, String option) {
        assertEquals("limit_exceeded", reply.errorCode(), reply.toString());
        assertEquals(option, reply.header().get("error").get("limit").asText(), reply.toString());
    }

    @Test
    void roomsPerConnectionMembersPerRoomAndRoomsInAllAreBounded() throws Exception {
        try (Server server = TestServers.start(TestServers.config().clientLimits(l -> l
                .withMaxRoomsPerConnection(2).withMaxMembersPerRoom(2).withMaxRooms(3)).build());
             RawClient a = RawClient.connect(server.port(), Framing.JSON_TEXT);
             RawClient b = RawClient.connect(server.port(), Framing.JSON_TEXT);
             RawClient c = RawClient.connect(server.port(), Framing.JSON_TEXT)) {
            assertTrue(join(a, "r1", "a").isOk());
            assertTrue(join(a, "r2", "a").isOk());
            assertLimit(join(a, "r3", "a"), "max-rooms-per-connection");
            assertTrue(join(a, "r1", "a").isOk(), "joining a room it is in again is no new room");
            assertTrue(join(b, "r1", "b").isOk());
            assertLimit(join(c, "r1", "c"), "max-members-per-room");
            assertTrue(join(c, "r3", "c").isOk());
            assertLimit(join(c, "r4", "c"), "max-rooms");
            assertTrue(call(a, Message.of("room.leave").with("id", 2).with("room", "r2")).isOk());
            assertTrue(join(c, "r4", "c").isOk(), "a room emptied is a room freed");
        }
    }

    @Test
    void uploadsInProgressPerConnectionAreBounded() throws Exception {
        try (Server server = TestServers.start(TestServers.config().filesDir(dir)
                .clientLimits(l -> l.withMaxUploadsPerConnection(1)).build());
             RawClient client = RawClient.connect(server.port(), Framing.BINARY)) {
            Message first = call(client, Message.of("file.put").with("id", 1).with("name", "a.bin").with("offset", 0)
                    .withBody(new byte[10]));
            assertTrue(first.isOk(), first.toString());
            Message second = call(client, Message.of("file.put").with("id", 2).with("name", "b.bin").with("offset", 0)
                    .withBody(new byte[10]));
            assertLimit(second, "max-uploads-per-connection");
            assertTrue(call(client, Message.of("file.put").with("id", 3).with("name", "a.bin").with("offset", 10)
                    .with("last", true).withBody(new byte[1])).isOk());
            assertTrue(call(client, Message.of("file.put").with("id", 4).with("name", "b.bin").with("offset", 0)
                    .with("last", true).withBody(new byte[10])).isOk(), "a finished upload frees its place");
        }
    }

    @Test
    void pastTheBufferBudgetTheBiggestHoldersAreClosedAndEveryoneElseIsServed() throws Exception {
        int budget = 4 << 20;
        try (Server server = TestServers.start(TestServers.config().maxBodyBytes(2 << 20)
                .clientLimits(l -> l.withMaxBufferedBytes(budget)).build())) {
            byte[] frame = Frames.encode(Message.of("echo").with("id", 1).withBody(new byte[2 << 20]),
                    Framing.BINARY);
            byte[] mostOfIt = Arrays.copyOf(frame, frame.length - 1000);
            List<RawClient> hoarders = new ArrayList<>();
            try (RawClient normal = RawClient.connect(server.port(), Framing.JSON_TEXT)) {
                assertTrue(call(normal, Message.of("ping").with("id", 1)).isOk());
                for (int i = 0; i < 6; i++) {
                    RawClient hoarder = RawClient.connect(server.port(), Framing.BINARY);
                    hoarders.add(hoarder);
                    hoarder.writeInBackground(mostOfIt);
                }
                // 6 x 2 MiB against 4 MiB: at least 4 must go; the one or two kept may wait for their last bytes.
                List<CompletableFuture<List<Message>>> endings = new ArrayList<>();
                for (RawClient hoarder : hoarders) {
                    endings.add(CompletableFuture.supplyAsync(() -> untilEof(hoarder)));
                }
                await().atMost(REPLY_TIMEOUT.multipliedBy(3))
                        .until(() -> endings.stream().filter(CompletableFuture::isDone).count() >= 4);
                for (CompletableFuture<List<Message>> ending : endings) {
                    if (ending.isDone()) {
                        assertLimit(ending.join().get(0), "max-buffered-bytes");
                    }
                }
                assertTrue(server.stats().bufferedInputBytes() <= budget, server.stats().toString());
                assertTrue(call(normal, Message.of("ping").with("id", 2)).isOk(), "everyone else is served");
                await().atMost(REPLY_TIMEOUT).until(() -> server.stats().closes()
                        .get(io.courier.server.metrics.CloseReason.BUFFER_BUDGET) >= 4);
            } finally {
                for (RawClient hoarder : hoarders) {
                    hoarder.close();
                }
            }
        }
    }
}
