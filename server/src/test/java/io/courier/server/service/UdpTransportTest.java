package io.courier.server.service;

import io.courier.server.support.ProbeHandlers;
import io.courier.server.support.TestServers;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.courier.protocol.Framing;
import io.courier.protocol.Json;
import io.courier.protocol.Message;
import io.courier.server.Server;
import io.courier.server.metrics.ServerStats;
import io.courier.protocol.ErrorCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** UDP: one message per datagram, the reply to the sender in the same framing, too_large when it cannot fit. */
@Timeout(30)
class UdpTransportTest {
    private static final int WAIT_MS = 10_000;

    private Server server;
    private InetSocketAddress udp;
    private final ProbeHandlers.Blob blob = new ProbeHandlers.Blob();

    @BeforeEach
    void start() throws IOException {
        server = TestServers.startProbed(TestServers.loopback().listen("udp:127.0.0.1:0").listen("tcp:127.0.0.1:0"), blob,
                new ProbeHandlers.Unencodable());
        udp = (InetSocketAddress) server.localAddresses().get(0);
    }

    @AfterEach
    void stop() {
        server.shutdown(java.time.Duration.ofSeconds(1));
    }

    @Test
    void pingAsJsonTextGetsAJsonTextReply() throws Exception {
        try (DatagramSocket client = client()) {
            DatagramPacket reply = exchange(client, text("{\"type\":\"ping\",\"id\":1}"));
            assertEquals('{', reply.getData()[0], "the reply is JSON text, like the request");
            Message pong = parseText(reply);
            assertTrue(pong.isOk(), pong.toString());
            assertEquals(1, pong.id().intValue());
            assertTrue(pong.header().get("time").isNumber());
        }
    }

    @Test
    void aReplyThatCannotBeEncodedCostsOneErrorReplyNotTheListener() throws Exception {
        try (DatagramSocket client = client()) {
            Message failed = parseText(exchange(client, text("{\"type\":\"unencodable\",\"id\":7}")));
            assertEquals("handler_failed", failed.errorCode(), failed.toString());
            assertEquals(7, failed.id().intValue());
            Message pong = parseText(exchange(client, text("{\"type\":\"ping\",\"id\":8}")));
            assertTrue(pong.isOk(), "the listener still serves: " + pong);
        }
    }

    @Test
    void pingAsBinaryFrameGetsABinaryFrameReply() throws Exception {
        try (DatagramSocket client = client()) {
            DatagramPacket reply = exchange(client, frame(Message.of("ping").with("id", 2)));
            assertEquals(0, reply.getData()[0], "the reply is a binary frame, like the request");
            Message pong = parseFrame(reply);
            assertTrue(pong.isOk(), pong.toString());
            assertEquals(2, pong.id().intValue());

            byte[] body = {0, 1, 2, (byte) 0xff};
            Message echoed = parseFrame(exchange(client, frame(Message.of("echo").with("id", 3).withBody(body))));
            assertArrayEquals(body, echoed.body());
        }
    }

    @Test
    void eachReplyGoesBackToItsOwnSender() throws Exception {
        try (DatagramSocket first = client(); DatagramSocket second = client()) {
            first.send(packet(text("{\"type\":\"ping\",\"id\":\"first\"}")));
            second.send(packet(text("{\"type\":\"ping\",\"id\":\"second\"}")));
            DatagramPacket toSecond = receive(second);
            DatagramPacket toFirst = receive(first);
            assertEquals("first", parseText(toFirst).id().textValue());
            assertEquals("second", parseText(toSecond).id().textValue());
            assertEquals(udp, toFirst.getSocketAddress(), "the reply comes from the server's address");
            assertEquals(udp, toSecond.getSocketAddress());
        }
    }

    @Test
    void replyTooBigForOneDatagramBecomesTooLarge() throws Exception {
        try (DatagramSocket client = client()) {
            Message fits = parseFrame(exchange(client, frame(Message.of("blob").with("id", 1).with("size", 60_000))));
            assertTrue(fits.isOk(), fits.toString());
            assertEquals(60_000, fits.bodyLength());

            Message tooBig = parseFrame(exchange(client, frame(Message.of("blob").with("id", 2).with("size", 70_000))));
            assertFalse(tooBig.isOk());
            assertEquals("too_large", tooBig.errorCode());
            assertEquals("blob", tooBig.type());
            assertEquals(2, tooBig.id().intValue());
            assertTrue(tooBig.errorMessage().contains("more than one datagram carries"), tooBig.errorMessage());

            // In JSON text the body travels as base64 (4/3 bigger): 50,000 bytes no longer fit.
            Message tooBigText = parseText(exchange(client, text("{\"type\":\"blob\",\"id\":3,\"size\":50000}")));
            assertEquals("too_large", tooBigText.errorCode());
            assertEquals(3, tooBigText.id().intValue());

            Message stillServed = parseText(exchange(client, text("{\"type\":\"ping\",\"id\":4}")));
            assertTrue(stillServed.isOk());
            assertEquals(3, blob.handled());
        }
    }

    @Test
    void twoMessagesInOneDatagramGetAnErrorAndNeitherIsHandled() throws Exception {
        try (DatagramSocket client = client()) {
            Message text = parseText(exchange(client, text("{\"type\":\"blob\",\"id\":1}{\"type\":\"blob\",\"id\":2}")));
            assertFalse(text.isOk());
            assertEquals("malformed", text.errorCode());
            assertTrue(text.errorMessage().contains("exactly one whole message"), text.errorMessage());

            byte[] one = frame(Message.of("blob").with("id", 3));
            byte[] two = Arrays.copyOf(one, one.length * 2);
            System.arraycopy(one, 0, two, one.length, one.length);
            Message binary = parseFrame(exchange(client, two));
            assertEquals("malformed", binary.errorCode());

            Message partial = parseText(exchange(client, text("{\"type\":\"blob\",")));
            assertEquals("malformed", partial.errorCode());
            assertTrue(partial.errorMessage().contains("partial"), partial.errorMessage());
            assertEquals(0, blob.handled(), "no message of a bad datagram reaches a handler");
        }
    }

    @Test
    void malformedJsonDatagramGetsAnErrorAndTheEndpointKeepsServing() throws Exception {
        try (DatagramSocket client = client()) {
            // Regression: a NullPointerException while wording this error escaped the endpoint, and the event
            // loop's safety net closed the UDP channel: one bad datagram silenced the listener for everyone.
            Message malformed = parseText(exchange(client, text("{\"type\": nope}")));
            assertEquals("malformed", malformed.errorCode());
            assertTrue(parseText(exchange(client, text("{\"type\":\"ping\"}"))).isOk());
            Message badUtf8 = parseText(exchange(client, new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xc3, '"', '}'}));
            assertEquals("malformed", badUtf8.errorCode());
            assertTrue(parseFrame(exchange(client, frame(Message.of("ping")))).isOk());
        }
    }

    @Test
    void unknownFirstByteGetsUnknownProtocolAndBadHeaderGetsBadRequest() throws Exception {
        try (DatagramSocket client = client()) {
            Message unknown = parseText(exchange(client, text("PING\r\n")));
            assertEquals("unknown_protocol", unknown.errorCode());
            Message noType = parseText(exchange(client, text("{\"id\":5}")));
            assertEquals("bad_request", noType.errorCode());
            assertEquals(5, noType.id().intValue());
            Message pong = parseText(exchange(client, text("{\"type\":\"ping\"}")));
            assertTrue(pong.isOk());
        }
        ServerStats.Snapshot stats = server.stats();
        assertEquals(1, stats.errors().get(ErrorCode.UNKNOWN_PROTOCOL));
        assertEquals(1, stats.errors().get(ErrorCode.BAD_REQUEST));
        assertTrue(stats.messagesIn() >= 1 && stats.messagesOut() >= 3, stats.toString());
    }

    private static DatagramSocket client() throws IOException {
        DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        socket.setSoTimeout(WAIT_MS);
        return socket;
    }

    private DatagramPacket packet(byte[] bytes) {
        return new DatagramPacket(bytes, bytes.length, udp);
    }

    private DatagramPacket exchange(DatagramSocket client, byte[] request) throws IOException {
        client.send(packet(request));
        return receive(client);
    }

    private static DatagramPacket receive(DatagramSocket client) throws IOException {
        DatagramPacket reply = new DatagramPacket(new byte[65_536], 65_536);
        client.receive(reply);
        return reply;
    }

    private static byte[] text(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] frame(Message message) {
        ByteBuffer encoded = Framing.BINARY.encoder().encode(message);
        return Arrays.copyOfRange(encoded.array(), encoded.position(), encoded.limit());
    }

    /** One JSON-text datagram: the object and its trailing newline. */
    static Message parseText(DatagramPacket packet) throws IOException {
        String json = new String(packet.getData(), packet.getOffset(), packet.getLength(), StandardCharsets.UTF_8);
        assertTrue(json.endsWith("\n"), "a JSON-text reply ends with a newline: " + json);
        return new Message((ObjectNode) Json.MAPPER.readTree(json));
    }

    /** One binary-frame datagram; its lengths must add up to the datagram's size exactly. */
    static Message parseFrame(DatagramPacket packet) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(packet.getData(), packet.getOffset(), packet.getLength());
        int headerLength = bytes.getInt();
        int bodyLength = bytes.getInt();
        assertEquals(packet.getLength(), 8 + headerLength + bodyLength, "one frame fills the datagram");
        ObjectNode header = (ObjectNode) Json.MAPPER.readTree(packet.getData(), packet.getOffset() + 8, headerLength);
        int bodyStart = packet.getOffset() + 8 + headerLength;
        return new Message(header, Arrays.copyOfRange(packet.getData(), bodyStart, bodyStart + bodyLength));
    }
}
