package io.courier.server.service;

import io.courier.server.support.ProbeHandlers;
import io.courier.server.support.TestServers;
import io.courier.server.support.ChannelClient;
import io.courier.protocol.Message;
import io.courier.server.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** In-process shutdown: the server.closing notice, replies already produced delivered first, then EOF. */
@Timeout(60)
class GracefulShutdownTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static CompletableFuture<Void> shutdownInBackground(Server server, Duration drain) {
        return CompletableFuture.runAsync(() -> server.shutdown(drain));
    }

    @Test
    void connectedClientsGetTheClosingNoticeInTheirFramingThenEof() throws Exception {
        Server server = TestServers.startProbed(TestServers.loopback());
        InetSocketAddress address = server.localAddress();
        try (ChannelClient text = ChannelClient.connect(address);
             ChannelClient binary = ChannelClient.connect(address);
             ChannelClient unknownFraming = ChannelClient.connect(address)) {
            assertTrue(text.callText(TestServers.pingText(1)).isOk());
            assertTrue(binary.callFrame(TestServers.ping(2)).isOk());
            await().atMost(WAIT).until(() -> server.stats().connectionsOpen() == 3);

            CompletableFuture<Void> stopped = shutdownInBackground(server, Duration.ofSeconds(7));

            Message notice = text.readTextMessage(WAIT);
            assertEquals("server.closing", notice.type());
            assertFalse(notice.isReply(), "an event, not a reply: no ok field");
            assertEquals(7000, notice.header().get("drain_timeout_ms").asLong());
            text.expectEof(WAIT);

            Message binaryNotice = binary.readFrame(WAIT);
            assertEquals("server.closing", binaryNotice.type());
            assertEquals(7000, binaryNotice.header().get("drain_timeout_ms").asLong());
            binary.expectEof(WAIT);

            unknownFraming.expectEof(WAIT); // it never said which framing it speaks: closed without a notice
            text.close();
            binary.close();
            unknownFraming.close();
            stopped.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } finally {
            server.shutdown(Duration.ZERO);
        }
        assertThrows(ConnectException.class, () -> new Socket(address.getAddress(), address.getPort()).close(),
                "nothing listens after shutdown");
    }

    @Test
    void repliesAlreadyProducedAreDeliveredBeforeTheNoticeAndTheClose() throws Exception {
        ProbeHandlers.Blob blob = new ProbeHandlers.Blob();
        int requests = 40;
        int size = 64 * 1024;
        // Reading pauses above the high watermark, so not every request may be read: all read are answered.
        Server server = TestServers.startProbed(TestServers.loopback(), blob);
        try (ChannelClient client = ChannelClient.connect(server.localAddress(), 8 * 1024)) {
            // Pipelined in one write; the replies (up to 2.5 MiB) wait in the server's queue, unread by the client.
            client.send(framesOfBlobRequests(requests, size));
            awaitHandlingSettles(blob);

            CompletableFuture<Void> stopped = shutdownInBackground(server, Duration.ofSeconds(20));
            int delivered = 0;
            Message message;
            while (!"server.closing".equals((message = client.readFrame(WAIT)).type())) {
                delivered++;
                assertEquals(delivered, message.id().intValue(), "replies in request order, none missing");
                assertEquals(size, message.bodyLength());
                assertEquals((byte) (size - 1), message.body()[size - 1]);
            }
            client.expectEof(WAIT); // the notice comes after the queued replies, then the close
            client.close();
            stopped.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertTrue(delivered > 0);
            assertEquals(blob.handled(), delivered, "every reply produced before shutdown was delivered");
        } finally {
            server.shutdown(Duration.ZERO);
        }
    }

    @Test
    void drainTimeoutCutsAClientThatNeverReads() throws Exception {
        ProbeHandlers.Blob blob = new ProbeHandlers.Blob();
        // A small SO_SNDBUF keeps the unread replies in the server's queue rather than in the kernel.
        Server server = TestServers.startProbed(TestServers.loopback().listen("127.0.0.1:0,sndbuf=32KiB"), blob);
        try (ChannelClient neverReads = ChannelClient.connect(server.localAddress(), 8 * 1024);
             ChannelClient reader = ChannelClient.connect(server.localAddress())) {
            neverReads.send(framesOfBlobRequests(40, 64 * 1024));
            int produced = awaitHandlingSettles(blob);
            assertTrue(produced >= 4, "precondition: replies pile up in the server's queue, " + produced);
            assertTrue(reader.callFrame(TestServers.ping(1)).isOk());

            long start = System.nanoTime();
            server.shutdown(Duration.ofMillis(500));
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(tookMillis >= 400, "waited for the drain, took " + tookMillis + " ms");
            assertTrue(tookMillis < 5_000, "gave up at the drain timeout, took " + tookMillis + " ms");

            assertEquals("server.closing", reader.readFrame(WAIT).type(), "the reading client got its notice");
            reader.expectEof(WAIT);
            long received = neverReads.drainToEof(WAIT);
            assertTrue(received < (long) blob.handled() * 64 * 1024, "the stuck client's queue was dropped: got "
                    + received + " bytes of " + blob.handled() + " replies");
        } finally {
            server.shutdown(Duration.ZERO);
        }
    }

    @Test
    void restartOnTheSamePortRightAfterAStopThatLeftConnectionsInTimeWait() throws Exception {
        int port = TestServers.freePort();
        for (int round = 1; round <= 2; round++) {
            Server server = TestServers.startProbed(TestServers.loopback().port(port));
            try (ChannelClient client = ChannelClient.connect(server.localAddress())) {
                assertTrue(client.callText(TestServers.pingText(round)).isOk());
                CompletableFuture<Void> stopped = shutdownInBackground(server, Duration.ofSeconds(5));
                assertEquals("server.closing", client.readTextMessage(WAIT).type());
                client.expectEof(WAIT); // the server closed first: its side of the connection sits in TIME_WAIT
                client.close();
                stopped.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } finally {
                server.shutdown(Duration.ZERO);
            }
        }
        // Without SO_REUSEADDR the same restart fails: the check above would be meaningless otherwise.
        java.io.IOException e = assertThrows(java.io.IOException.class,
                () -> TestServers.startProbed(TestServers.loopback().port(port).reuseAddress(false)).shutdown(Duration.ZERO));
        assertTrue(e.getMessage().contains("cannot listen on tcp:127.0.0.1:" + port), e.getMessage());
    }

    private static byte[] framesOfBlobRequests(int count, int size) {
        java.io.ByteArrayOutputStream frames = new java.io.ByteArrayOutputStream();
        for (int id = 1; id <= count; id++) {
            frames.writeBytes(UdpTransportTest.frame(Message.of("blob").with("id", id).with("size", size)));
        }
        return frames.toByteArray();
    }

    /** Waits until the handler has stopped being called (all read, or reading paused) and returns its count. */
    private static int awaitHandlingSettles(ProbeHandlers.Blob blob) {
        AtomicInteger last = new AtomicInteger(-1);
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200))
                .until(() -> blob.handled() > 0 && blob.handled() == last.getAndSet(blob.handled()));
        return blob.handled();
    }
}
