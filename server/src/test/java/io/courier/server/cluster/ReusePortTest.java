package io.courier.server.cluster;

import io.courier.protocol.Message;
import io.courier.protocol.client.MessageClient;
import io.courier.server.Server;
import io.courier.server.config.ListenerSpec;
import io.courier.server.support.TestServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** reuse-port=true: two servers bind one port (TCP and UDP); without it the second cannot. */
@Timeout(60)
class ReusePortTest {
    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static Server start(String... listen) throws IOException {
        var config = TestServers.config();
        for (String spec : listen) {
            config.listen(spec);
        }
        return TestServers.start(config.build());
    }

    @Test
    void twoServersShareOnePortAndBothServe() throws Exception {
        int port = freePort();
        String tcp = "tcp:127.0.0.1:" + port + ",reuse-port=true";
        String udp = "udp:127.0.0.1:" + port + ",reuse-port=true";
        try (Server first = start(tcp, udp); Server second = start(tcp, udp)) {
            assertEquals(port, first.port());
            assertEquals(port, second.port());
            for (int i = 0; i < 4; i++) {
                try (MessageClient client = MessageClient.connect(first.localAddress())) {
                    assertTrue(client.call(Message.of("ping"), Duration.ofSeconds(10)).isOk());
                }
            }
            first.close();
            // The port stays served by the second while the first is gone.
            try (MessageClient client = MessageClient.connect(second.localAddress())) {
                assertTrue(client.call(Message.of("ping"), Duration.ofSeconds(10)).isOk());
            }
        }
    }

    @Test
    void withoutReusePortTheSecondBindFails() throws Exception {
        int port = freePort();
        try (Server first = start("tcp:127.0.0.1:" + port + ",reuse-port=true")) {
            Exception refused = assertThrows(Exception.class, () -> start("tcp:127.0.0.1:" + port));
            assertTrue(refused instanceof IOException || refused instanceof UncheckedIOException, refused.toString());
        }
    }

    @Test
    void theOptionIsParsedAndRefusedWhereItMeansNothing() {
        assertTrue(ListenerSpec.parse("tcp:[::]:6666,reuse-port=true", ListenerSpec.SocketOptions.DEFAULTS)
                .options().reusePort());
        IllegalArgumentException unix = assertThrows(IllegalArgumentException.class, () -> ListenerSpec.parse(
                "unix:/tmp/x.sock,reuse-port=true", ListenerSpec.SocketOptions.DEFAULTS));
        assertTrue(unix.getMessage().contains("reuse-port"), unix.getMessage());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> ListenerSpec.parse(
                "tcp:127.0.0.1:1,reuse-port=maybe", ListenerSpec.SocketOptions.DEFAULTS));
        assertTrue(bad.getMessage().contains("reuse-port"), bad.getMessage());
    }
}
