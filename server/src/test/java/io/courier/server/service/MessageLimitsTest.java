package io.courier.server.service;

import io.courier.server.support.ProbeHandlers;
import io.courier.server.support.TestServers;
import io.courier.server.support.ChannelClient;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.courier.protocol.ErrorCode;
import io.courier.protocol.Json;
import io.courier.protocol.Message;
import io.courier.server.Server;
import io.courier.server.metrics.CloseReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Per-message limits and memory limits: header and body sizes, nesting depth, watermarks, slow consumers. */
@Timeout(60)
class MessageLimitsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void smallMaxHeaderBytesRefusesBigHeadersWithTooLarge() throws Exception {
        try (Server server = TestServers.startProbed(TestServers.loopback().maxHeaderBytes(256));
             ChannelClient binary = ChannelClient.connect(server.localAddress());
             ChannelClient text = ChannelClient.connect(server.localAddress())) {
            String pad = "x".repeat(300);
            Message refused = binary.callFrame(Message.of("echo").with("id", 1).with("pad", pad));
            assertEquals("too_large", refused.errorCode());
            assertTrue(refused.errorMessage().contains("max-header-bytes 256"), refused.errorMessage());
            assertTrue(binary.callFrame(TestServers.ping(2)).isOk(), "binary framing skips the frame and goes on");

            Message refusedText = text.callText("{\"type\":\"echo\",\"pad\":\"" + pad + "\"}");
            assertEquals("too_large", refusedText.errorCode());
            assertTrue(refusedText.errorMessage().contains("max-header-bytes 256"), refusedText.errorMessage());
            text.expectEof(WAIT); // JSON text cannot skip a message: the connection closes after the reply
        }
    }

    @Test
    void smallMaxBodyBytesRefusesBigBodiesAndKeepsTheConnection() throws Exception {
        try (Server server = TestServers.startProbed(TestServers.loopback().maxBodyBytes(1024));
             ChannelClient client = ChannelClient.connect(server.localAddress())) {
            Message fits = client.callFrame(Message.of("echo").with("id", 1).withBody(new byte[1024]));
            assertTrue(fits.isOk(), fits.toString());
            assertEquals(1024, fits.bodyLength());

            Message refused = client.callFrame(Message.of("echo").with("id", 2).withBody(new byte[1025]));
            assertEquals("too_large", refused.errorCode());
            assertEquals("echo", refused.type(), "the header was read, so the error names the request");
            assertEquals(2, refused.id().intValue());
            assertTrue(refused.errorMessage().contains("max-body-bytes 1024"), refused.errorMessage());

            assertTrue(client.callFrame(TestServers.ping(3)).isOk());
            assertEquals(1, server.stats().errors().get(ErrorCode.TOO_LARGE));
        }
    }

    @Test
    void malformedJsonTextGetsItsErrorReplyThenEofAndFreesItsConnectionSlot() throws Exception {
        try (Server server = TestServers.startProbed(TestServers.loopback().maxConnections(1))) {
            byte[] badUtf8 = {'{', '"', 't', 'y', 'p', 'e', '"', ':', '"', (byte) 0xff, '"', '}'};
            for (byte[] bytes : new byte[][] {utf8("{\"type\": nope}"), utf8("{\"type\":\"ping\",,}"), badUtf8}) {
                String garbage = new String(bytes, StandardCharsets.UTF_8);
                try (ChannelClient client = ChannelClient.connect(server.localAddress())) {
                    // Regression: the decoder threw a NullPointerException while wording this error, so the
                    // client got no reply and the connection's slot (max-connections 1 here) was never freed.
                    Message reply = client.send(bytes).readTextMessage(WAIT);
                    assertEquals("malformed", reply.errorCode(), garbage);
                    assertTrue(reply.errorMessage().startsWith("the JSON text cannot be parsed near byte "),
                            reply.errorMessage());
                    client.expectEof(WAIT);
                }
                await().atMost(WAIT).until(() -> server.stats().connectionsOpen() == 0);
            }
            try (ChannelClient next = ChannelClient.connect(server.localAddress())) {
                assertTrue(next.callText(TestServers.pingText(1)).isOk(), "the only slot is free again");
            }
            assertEquals(3, server.stats().closes().get(CloseReason.PROTOCOL_ERROR));
        }
    }

    @Test
    void errorReplySurvivesUnreadInputBehindItThanksToTheLingeringClose() throws Exception {
        try (Server server = TestServers.startProbed(TestServers.loopback());
             ChannelClient client = ChannelClient.connect(server.localAddress())) {
            // The broken message is followed by 1 MiB the server will never parse. Closing with that input unread
            // would make the kernel send a reset, which can destroy the error reply before the client reads it.
            byte[] tail = new byte[1 << 20];
            java.util.Arrays.fill(tail, (byte) 'x');
            client.send("{\"type\": nope}").send(tail);
            Message reply = client.readTextMessage(WAIT);
            assertEquals("malformed", reply.errorCode());
            client.expectEof(WAIT); // a clean end of stream, not "connection reset"
        }
    }

    @Test
    void jsonNested100000DeepGetsAnErrorReplyAndTheServerKeepsServing() throws Exception {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        String request = "{\"type\":\"echo\",\"id\":1,\"deep\":" + deep + "}";
        try (Server server = TestServers.startProbed(TestServers.loopback());
             ChannelClient text = ChannelClient.connect(server.localAddress());
             ChannelClient binary = ChannelClient.connect(server.localAddress());
             ChannelClient bystander = ChannelClient.connect(server.localAddress())) {
            Message textReply = text.callText(request);
            assertFalse(textReply.isOk());
            assertTrue(textReply.errorMessage().contains("nesting depth"), textReply.errorMessage());
            text.expectEof(WAIT);

            byte[] headerBytes = request.getBytes(StandardCharsets.UTF_8);
            byte[] frame = new byte[8 + headerBytes.length];
            ByteBuffer.wrap(frame).putInt(headerBytes.length).putInt(0).put(headerBytes);
            Message binaryReply = binary.send(frame).readFrame(WAIT);
            assertEquals("bad_request", binaryReply.errorCode(), binaryReply.toString());
            assertTrue(binary.callFrame(TestServers.ping(2)).isOk(), "the frame had known bounds: the connection goes on");

            assertTrue(bystander.callText(TestServers.pingText(3)).isOk(), "other clients never noticed");
        }
    }

    @Test
    void highWatermarkStopsReadingAClientThatDoesNotReadUntilItCatchesUp() throws Exception {
        ProbeHandlers.Blob blob = new ProbeHandlers.Blob();
        int requests = 200;
        int replyBytes = 16 * 1024;
        try (Server server = TestServers.startProbed(TestServers.loopback().listen("127.0.0.1:0,sndbuf=32KiB")
                .readBufferBytes(16 * 1024).readBudgetBytes(16 * 1024)
                .writeHighWatermark(64 * 1024).writeLowWatermark(16 * 1024).slowConsumerBytes(8 << 20), blob);
             Socket socket = new Socket()) {
            socket.setReceiveBufferSize(16 * 1024);
            socket.connect(server.localAddress(), 10_000);
            socket.setSoTimeout(10_000);
            // Each request is padded to about 4 KiB so they arrive over many reads, as a real upload would.
            String pad = "p".repeat(4000);
            AtomicReference<Throwable> sendFailure = new AtomicReference<>();
            Thread sender = new Thread(() -> {
                try {
                    OutputStream out = socket.getOutputStream();
                    for (int id = 1; id <= requests; id++) {
                        out.write(("{\"type\":\"blob\",\"id\":" + id + ",\"size\":" + replyBytes + ",\"pad\":\""
                                + pad + "\"}\n").getBytes(StandardCharsets.UTF_8));
                    }
                    out.flush();
                } catch (IOException | RuntimeException e) {
                    sendFailure.set(e);
                }
            }, "watermark-sender");
            sender.setDaemon(true);
            sender.start();

            AtomicInteger last = new AtomicInteger(-1);
            await("the server to stop reading").atMost(WAIT).pollInterval(Duration.ofMillis(300))
                    .until(() -> blob.handled() > 0 && blob.handled() == last.getAndSet(blob.handled()));
            assertTrue(blob.handled() < requests, "reading paused at " + blob.handled() + " of " + requests
                    + " requests while replies were unread");

            BufferedReader reader = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.UTF_8));
            for (int id = 1; id <= requests; id++) {
                String line = reader.readLine();
                assertTrue(line != null, "reply " + id + " missing");
                Message reply = new Message((ObjectNode) Json.MAPPER.readTree(line));
                assertEquals(id, reply.id().intValue(), "replies come in request order");
                assertTrue(reply.isOk(), line.substring(0, Math.min(200, line.length())));
            }
            sender.join(10_000);
            assertNull(sendFailure.get());
            assertEquals(requests, blob.handled(), "reading resumed and every request was served");
            assertEquals(0, server.stats().closes().get(CloseReason.SLOW_CONSUMER));
        }
    }

    @Test
    void clientThatLetsRepliesPileUpPastTheLimitIsClosedAsSlowConsumer() throws Exception {
        try (Server server = TestServers.startProbed(TestServers.loopback().writeHighWatermark(64 * 1024)
                .writeLowWatermark(16 * 1024).slowConsumerBytes(512 * 1024), new ProbeHandlers.Firehose());
             ChannelClient slow = ChannelClient.connect(server.localAddress(), 8 * 1024);
             ChannelClient reader = ChannelClient.connect(server.localAddress())) {
            // Within the limit: every event and then the reply arrive.
            Message first = reader.sendFrame(Message.of("firehose").with("id", 1).with("count", 10)
                    .with("size", 16 * 1024)).readFrame(WAIT);
            assertEquals("tick", first.type());
            for (int i = 1; i < 10; i++) {
                assertEquals(i, reader.readFrame(WAIT).header().get("n").asInt());
            }
            assertEquals(10, reader.readFrame(WAIT).header().get("sent").asInt());

            // 40 events of 64 KiB at once: 2.5 MiB queued for a client that reads nothing.
            slow.sendFrame(Message.of("firehose").with("id", 2).with("count", 40).with("size", 64 * 1024));
            await().atMost(WAIT).until(() -> server.stats().closes().get(CloseReason.SLOW_CONSUMER) == 1);
            assertTrue(slow.drainToEof(WAIT) < 40 * 64 * 1024, "the queue was dropped, not delivered");
            assertTrue(reader.callFrame(TestServers.ping(3)).isOk(), "other clients are unaffected");
            assertEquals(1, server.stats().connectionsOpen());
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
