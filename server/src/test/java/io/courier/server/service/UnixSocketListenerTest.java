package io.courier.server.service;

import io.courier.server.support.TestServers;
import io.courier.server.support.ChannelClient;
import io.courier.protocol.Message;
import io.courier.server.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Unix domain socket listeners: serving, file permissions, stale and live socket files, cleanup. */
@Timeout(30)
class UnixSocketListenerTest {
    @TempDir
    Path dir;

    private Server start(String spec) throws IOException {
        return TestServers.startProbed(TestServers.loopback().listen(spec));
    }

    @Test
    void pingAndEchoWorkInBothFramings() throws Exception {
        Path socket = dir.resolve("courier.sock");
        try (Server server = start("unix:" + socket);
             ChannelClient text = ChannelClient.connect(UnixDomainSocketAddress.of(socket));
             ChannelClient binary = ChannelClient.connect(UnixDomainSocketAddress.of(socket))) {
            assertEquals(UnixDomainSocketAddress.of(socket), server.localAddresses().get(0));
            Message pong = text.callText("{\"type\":\"ping\",\"id\":1}");
            assertTrue(pong.isOk(), pong.toString());
            Message echo = text.callText("{\"type\":\"echo\",\"id\":2,\"text\":\"\u4f60\u597d\",\"body_base64\":\"AAEC\"}");
            assertEquals("\u4f60\u597d", echo.header().get("text").textValue());
            assertEquals("AAEC", echo.header().get("body_base64").textValue());

            byte[] body = new byte[100_000];
            body[99_999] = 42;
            Message echoed = binary.callFrame(Message.of("echo").with("id", 3).withBody(body));
            assertTrue(echoed.isOk(), echoed.toString());
            assertArrayEquals(body, echoed.body());
            assertEquals("unix", binary.callFrame(Message.of("whoami")).header().get("transport").textValue());
        }
    }

    @Test
    void modeSetsTheSocketFilePermissions() throws Exception {
        Path owner = dir.resolve("owner.sock");
        Path group = dir.resolve("group.sock");
        try (Server server = TestServers.startProbed(TestServers.loopback().listen("unix:" + owner + ",mode=600")
                .listen("unix:" + group + ",mode=660"))) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(owner)));
            assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(group)));
            try (ChannelClient client = ChannelClient.connect(UnixDomainSocketAddress.of(owner))) {
                assertTrue(client.callText(TestServers.pingText(1)).isOk(), "the owner can still connect");
            }
        }
    }

    @Test
    void staleSocketFileLeftByACrashedServerIsReplaced() throws Exception {
        Path socket = dir.resolve("stale.sock");
        try (ServerSocketChannel crashed = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            crashed.bind(UnixDomainSocketAddress.of(socket));
        } // closed without deleting the file, as a crash would leave it
        assertTrue(isSocketFile(socket), "precondition: the stale socket file is there");

        try (Server server = start("unix:" + socket);
             ChannelClient client = ChannelClient.connect(UnixDomainSocketAddress.of(socket))) {
            assertTrue(client.callText(TestServers.pingText(1)).isOk());
        }
    }

    @Test
    void socketFileIsDeletedAtShutdown() throws Exception {
        Path socket = dir.resolve("gone.sock");
        Server server = start("unix:" + socket);
        try (ChannelClient client = ChannelClient.connect(UnixDomainSocketAddress.of(socket))) {
            assertTrue(client.callText(TestServers.pingText(1)).isOk());
            assertTrue(isSocketFile(socket));
        } finally {
            server.shutdown(Duration.ofSeconds(2));
        }
        assertFalse(Files.exists(socket, LinkOption.NOFOLLOW_LINKS), "the socket file is removed at shutdown");
    }

    @Test
    void liveSocketOfAnotherServerMakesStartFailAndIsLeftAlone() throws Exception {
        Path socket = dir.resolve("live.sock");
        try (Server first = start("unix:" + socket)) {
            Server second = Server.builder().config(TestServers.loopback().listen("unix:" + socket).build()).build();
            IOException e = assertThrows(IOException.class, second::start);
            assertTrue(e.getMessage().contains("another process is listening on unix:" + socket), e.getMessage());

            assertTrue(isSocketFile(socket), "the live server's socket file is not removed");
            try (ChannelClient client = ChannelClient.connect(UnixDomainSocketAddress.of(socket))) {
                assertTrue(client.callText(TestServers.pingText(1)).isOk(), "the first server still serves");
            }
        }
    }

    @Test
    void aFileThatIsNotASocketIsNeverReplaced() throws Exception {
        Path notASocket = dir.resolve("data.sock");
        Files.writeString(notASocket, "precious");
        Server server = Server.builder().config(TestServers.loopback().listen("unix:" + notASocket).build()).build();
        IOException e = assertThrows(IOException.class, server::start);
        assertTrue(e.getMessage().contains("exists and is not a socket"), e.getMessage());
        assertEquals("precious", Files.readString(notASocket));
    }

    @Test
    void failedStartReleasesTheListenersAlreadyBound() throws Exception {
        Path socket = dir.resolve("first.sock");
        Path blocked = dir.resolve("data.txt");
        Files.writeString(blocked, "x");
        Server server = Server.builder().config(TestServers.loopback().listen("unix:" + socket)
                .listen("unix:" + blocked).build()).build();
        assertThrows(IOException.class, server::start);
        assertFalse(Files.exists(socket, LinkOption.NOFOLLOW_LINKS),
                "the listener bound before the failure is closed and its file removed");
        try (Server again = start("unix:" + socket);
             ChannelClient client = ChannelClient.connect(UnixDomainSocketAddress.of(socket))) {
            assertTrue(client.callText(TestServers.pingText(1)).isOk());
        }
    }

    private static boolean isSocketFile(Path path) {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther();
        } catch (IOException e) {
            if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                return false;
            }
            throw new UncheckedIOException(e);
        }
    }
}
