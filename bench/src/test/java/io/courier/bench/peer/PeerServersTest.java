package io.courier.bench.peer;

import io.courier.protocol.Limits;
import io.courier.protocol.Message;
import io.courier.protocol.client.MessageClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Both peers, in-process on a free loopback port, driven through the project's own blocking client. */
class PeerServersTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    enum Peer {
        NETTY {
            @Override
            PeerServer start(Limits limits) throws Exception {
                return NettyPeerServer.start(new InetSocketAddress("127.0.0.1", 0), limits);
            }
        },
        BLOCKING {
            @Override
            PeerServer start(Limits limits) throws Exception {
                return BlockingPeerServer.start(new InetSocketAddress("127.0.0.1", 0), limits);
            }
        };

        abstract PeerServer start(Limits limits) throws Exception;
    }

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeEverything() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private PeerServer start(Peer peer, Limits limits) throws Exception {
        PeerServer server = peer.start(limits);
        toClose.add(server);
        return server;
    }

    private MessageClient connect(PeerServer server) throws Exception {
        MessageClient client = MessageClient.connect("127.0.0.1", server.localAddress().getPort());
        toClose.add(client);
        return client;
    }

    @ParameterizedTest
    @EnumSource(Peer.class)
    void pingRepliesWithTypeIdOkAndServerTime(Peer peer) throws Exception {
        MessageClient client = connect(start(peer, Limits.DEFAULTS));
        long before = System.currentTimeMillis();

        Message reply = client.call(Message.of("ping").with("id", 42), TIMEOUT);

        assertEquals("ping", reply.type());
        assertEquals(42, reply.id().asInt());
        assertTrue(reply.isOk());
        long time = reply.header().get("time").asLong();
        assertTrue(time >= before && time <= System.currentTimeMillis() + 1, "time " + time);
        assertEquals(0, reply.bodyLength());
    }

    @ParameterizedTest
    @EnumSource(Peer.class)
    void echoReturnsEveryRequestFieldAndTheSameBody(Peer peer) throws Exception {
        MessageClient client = connect(start(peer, Limits.DEFAULTS));
        byte[] small = "hello, \u4f60\u597d".getBytes(StandardCharsets.UTF_8);
        byte[] large = new byte[100_000];
        for (int i = 0; i < large.length; i++) {
            large[i] = (byte) (i * 31);
        }

        for (byte[] body : new byte[][] {new byte[0], small, large}) {
            Message request = Message.of("echo").with("id", "abc-" + body.length).with("text", "\u00e9t\u00e9")
                    .with("n", 7).withBody(body);
            Message reply = client.call(request, TIMEOUT);

            assertEquals("echo", reply.type());
            assertEquals("abc-" + body.length, reply.id().asText());
            assertTrue(reply.isOk());
            assertEquals("\u00e9t\u00e9", reply.header().get("text").asText());
            assertEquals(7, reply.header().get("n").asInt());
            assertArrayEquals(body, reply.body());
        }
    }

    @ParameterizedTest
    @EnumSource(Peer.class)
    void pipelinedRequestsAreAllAnsweredInOrder(Peer peer) throws Exception {
        MessageClient client = connect(start(peer, Limits.DEFAULTS));
        List<CompletableFuture<Message>> replies = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            replies.add(client.request(Message.of(i % 2 == 0 ? "echo" : "ping").withBody(new byte[i % 3000])));
        }
        CompletableFuture.allOf(replies.toArray(new CompletableFuture[0])).get(10, TimeUnit.SECONDS);
        for (int i = 0; i < replies.size(); i++) {
            Message reply = replies.get(i).join();
            assertTrue(reply.isOk(), reply.toString());
            assertEquals(i % 2 == 0 ? i % 3000 : 0, reply.bodyLength());
        }
    }

    @ParameterizedTest
    @EnumSource(Peer.class)
    void unknownTypeGetsAnErrorListingTheKnownTypesAndTheConnectionStays(Peer peer) throws Exception {
        MessageClient client = connect(start(peer, Limits.DEFAULTS));

        Message reply = client.call(Message.of("file.put").with("id", 5), TIMEOUT);

        assertEquals("file.put", reply.type());
        assertEquals(5, reply.id().asInt());
        assertFalse(reply.isOk());
        assertEquals("unknown_type", reply.errorCode());
        assertEquals("[\"echo\",\"ping\"]", reply.errorOptions().toString());
        assertTrue(client.call(Message.of("ping"), TIMEOUT).isOk());
    }

    @ParameterizedTest
    @EnumSource(Peer.class)
    void tooLargeBodyIsSkippedAndTheNextFrameIsAnswered(Peer peer) throws Exception {
        MessageClient client = connect(start(peer, new Limits(1024, 1024)));

        client.send(Message.of("echo").with("id", 1).withBody(new byte[5000]));
        Message error = client.nextUnsolicited(TIMEOUT);

        assertNotNull(error, "no too_large reply");
        assertEquals("too_large", error.errorCode());
        assertTrue(error.errorMessage().contains("5000"), error.errorMessage());
        assertTrue(client.call(Message.of("echo").with("id", 2).withBody(new byte[1000]), TIMEOUT).isOk());
    }

    @ParameterizedTest
    @EnumSource(Peer.class)
    void headerThatIsNotAnObjectGetsBadRequest(Peer peer) throws Exception {
        PeerServer server = start(peer, Limits.DEFAULTS);
        try (Socket socket = new Socket("127.0.0.1", server.localAddress().getPort())) {
            byte[] header = "[1,2]".getBytes(StandardCharsets.UTF_8);
            byte[] frame = new byte[8 + header.length];
            frame[3] = (byte) header.length;
            System.arraycopy(header, 0, frame, 8, header.length);
            socket.getOutputStream().write(frame);
            java.io.DataInputStream in = new java.io.DataInputStream(socket.getInputStream());
            byte[] reply = new byte[in.readInt()];
            assertEquals(0, in.readInt());
            in.readFully(reply);
            assertTrue(new String(reply, StandardCharsets.UTF_8).contains("\"bad_request\""));
        }
    }

    @ParameterizedTest
    @EnumSource(Peer.class)
    void aFirstByteThatIsNotBinaryGetsOneTextErrorLineAndTheConnectionCloses(Peer peer) throws Exception {
        PeerServer server = start(peer, Limits.DEFAULTS);
        try (Socket socket = new Socket("127.0.0.1", server.localAddress().getPort())) {
            socket.getOutputStream().write("{\"type\":\"ping\"}\n".getBytes(StandardCharsets.UTF_8));
            BufferedReader reader = new BufferedReader(
                    new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));

            String line = reader.readLine();

            assertNotNull(line);
            assertTrue(line.contains("\"unknown_protocol\"") && line.contains("\"ok\":false"), line);
            assertEquals(null, reader.readLine(), "the connection should close after the error");
        }
    }

    @ParameterizedTest
    @EnumSource(Peer.class)
    void closingTheServerDisconnectsItsClients(Peer peer) throws Exception {
        PeerServer server = peer.start(Limits.DEFAULTS);
        MessageClient client = connect(server);
        assertTrue(client.call(Message.of("ping"), TIMEOUT).isOk());

        server.close();

        await().atMost(Duration.ofSeconds(5)).until(() -> !client.isOpen());
    }
}
