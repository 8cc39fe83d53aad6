package io.courier.server.service;

import io.courier.server.support.TestServers;
import io.courier.server.support.ChannelClient;
import io.courier.protocol.Framing;
import io.courier.protocol.Message;
import io.courier.protocol.client.MessageClient;
import io.courier.server.Server;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TCP over IPv4, IPv6 and dual-stack, and one handler set behind TCP, Unix domain and UDP listeners. */
@Timeout(30)
class ListenerTransportsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @Test
    void tcpOnIpv4LoopbackServesBothFramings() throws Exception {
        try (Server server = TestServers.startProbed(TestServers.loopback().listen("tcp:127.0.0.1:0"));
             ChannelClient text = ChannelClient.connect(server.localAddress());
             MessageClient binary = MessageClient.connect(server.localAddress(), Framing.BINARY, WAIT)) {
            Message pong = text.callText("{\"type\":\"ping\",\"id\":\"t1\"}");
            assertTrue(pong.isOk(), pong.toString());
            assertEquals("t1", pong.id().textValue());
            assertTrue(pong.header().get("time").isNumber());

            byte[] body = "raw \u0000\u00ff bytes".getBytes(StandardCharsets.ISO_8859_1);
            Message echoed = binary.call(Message.of("echo").with("note", "x").withBody(body), WAIT);
            assertTrue(echoed.isOk(), echoed.toString());
            assertEquals("x", echoed.header().get("note").textValue());
            assertArrayEquals(body, echoed.body());

            assertWhoAmI(text, "tcp", server.localAddress());
        }
    }

    @Test
    void ipv6LoopbackListener() throws Exception {
        assumeIpv6Loopback();
        try (Server server = TestServers.startProbed(TestServers.loopback().listen("[::1]:0"))) {
            InetSocketAddress bound = server.localAddress();
            assertInstanceOf(Inet6Address.class, bound.getAddress());
            assertTrue(bound.getAddress().isLoopbackAddress());
            try (ChannelClient client = ChannelClient.connect(bound)) {
                assertTrue(client.callText(TestServers.pingText(1)).isOk());
                assertWhoAmI(client, "tcp", bound);
            }
        }
    }

    @Test
    void dualStackListenerIsReachedOverIpv4AndIpv6() throws Exception {
        assumeIpv6Loopback();
        try (Server server = TestServers.startProbed(TestServers.loopback().listen("[::]:0").allowAnonymous(true))) {
            int port = server.port();
            InetSocketAddress v4 = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port);
            InetSocketAddress v6 = new InetSocketAddress(InetAddress.getByName("::1"), port);
            try (ChannelClient overV4 = ChannelClient.connect(v4); ChannelClient overV6 = ChannelClient.connect(v6)) {
                assertTrue(overV4.callText(TestServers.pingText(4)).isOk());
                assertTrue(overV6.callText(TestServers.pingText(6)).isOk());
                Message fromV4 = overV4.callText("{\"type\":\"whoami\"}");
                Message fromV6 = overV6.callText("{\"type\":\"whoami\"}");
                assertEquals(String.valueOf(overV4.channel().getLocalAddress()), fromV4.header().get("remote")
                        .textValue());
                assertEquals(String.valueOf(overV6.channel().getLocalAddress()), fromV6.header().get("remote")
                        .textValue());
                assertInstanceOf(Inet4Address.class,
                        ((InetSocketAddress) overV4.channel().getLocalAddress()).getAddress());
                assertInstanceOf(Inet6Address.class,
                        ((InetSocketAddress) overV6.channel().getLocalAddress()).getAddress());
            }
        }
    }

    @Test
    void theSameHandlersServeTcpUnixAndUdpAndSessionsReportTheirTransport() throws Exception {
        Path socket = dir.resolve("all.sock");
        try (Server server = TestServers.startProbed(TestServers.loopback()
                .listen("tcp:127.0.0.1:0").listen("unix:" + socket).listen("udp:127.0.0.1:0"))) {
            List<SocketAddress> bound = server.localAddresses();
            assertEquals(3, bound.size());
            assertEquals(UnixDomainSocketAddress.of(socket), bound.get(1));
            InetSocketAddress udp = (InetSocketAddress) bound.get(2);

            try (ChannelClient tcp = ChannelClient.connect(bound.get(0))) {
                assertWhoAmI(tcp, "tcp", bound.get(0));
                assertTrue(tcp.callText("{\"type\":\"types\"}").header().get("types").size() >= 5);
            }
            try (ChannelClient unix = ChannelClient.connect(bound.get(1))) {
                Message who = unix.callFrame(Message.of("whoami"));
                assertEquals("unix", who.header().get("transport").textValue());
                assertEquals(socket.toString(), who.header().get("local").textValue());
                assertTrue(unix.callFrame(Message.of("types")).header().get("types").size() >= 5);
            }
            try (DatagramSocket client = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
                client.setSoTimeout((int) WAIT.toMillis());
                byte[] request = "{\"type\":\"whoami\",\"id\":9}".getBytes(StandardCharsets.UTF_8);
                client.send(new DatagramPacket(request, request.length, udp));
                DatagramPacket reply = new DatagramPacket(new byte[65536], 65536);
                client.receive(reply);
                Message who = UdpTransportTest.parseText(reply);
                assertEquals("udp", who.header().get("transport").textValue());
                assertEquals(String.valueOf(client.getLocalSocketAddress()), who.header().get("remote").textValue());
                assertEquals(String.valueOf(udp), who.header().get("local").textValue());
            }
        }
    }

    private static void assertWhoAmI(ChannelClient client, String transport, SocketAddress serverAddress)
            throws IOException {
        Message who = client.callText("{\"type\":\"whoami\",\"id\":\"w\"}");
        assertTrue(who.isOk(), who.toString());
        assertEquals(transport, who.header().get("transport").textValue());
        assertEquals(String.valueOf(client.channel().getLocalAddress()), who.header().get("remote").textValue());
        assertEquals(String.valueOf(serverAddress), who.header().get("local").textValue());
    }

    /** Skips (saying why) only when this machine has no IPv6 loopback at all. */
    static void assumeIpv6Loopback() {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(InetAddress.getByName("::1"), 0));
        } catch (IOException e) {
            String why = "this machine has no IPv6 loopback (::1): binding it failed with " + e;
            System.out.println("SKIPPED: " + why);
            Assumptions.assumeTrue(false, why);
        }
    }
}
