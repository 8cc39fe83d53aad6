package io.courier.server.cluster;

import io.courier.protocol.Message;
import io.courier.protocol.client.MessageClient;
import io.courier.server.rooms.Inbox;
import io.courier.server.support.JarProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.courier.server.cluster.ClusterFixture.WAIT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The packaged server as real processes on one Redis: an instance killed with SIGKILL, and one shared port. */
@Timeout(180)
class ClusterProcessesIT {
    private static final Duration START = Duration.ofSeconds(30);

    private RedisProcess redis;
    private final List<JarProcess> processes = new ArrayList<>();
    private final List<MessageClient> clients = new ArrayList<>();

    @BeforeEach
    void startRedis() throws Exception {
        redis = RedisProcess.start();
    }

    @AfterEach
    void stop() throws Exception {
        for (MessageClient client : clients) {
            client.close();
        }
        for (JarProcess process : processes) {
            process.close();
        }
        redis.close();
    }

    /** Starts a server.jar in cluster mode and returns its TCP port, once its port file says it listens. */
    private int startInstance(String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("--cluster", redis.uri().toString()));
        args.addAll(List.of(extra));
        JarProcess process = JarProcess.start(args.toArray(new String[0]));
        processes.add(process);
        return process.awaitListeningPort();
    }

    private MessageClient connect(int port) throws Exception {
        MessageClient client = MessageClient.connect(new InetSocketAddress("127.0.0.1", port));
        clients.add(client);
        return client;
    }

    private static Message join(MessageClient client, String name) throws Exception {
        return client.call(Message.of("room.join").with("room", "lobby").with("name", name), WAIT);
    }

    @Test
    void anInstanceKilledWithSigkillLeavesItsMembersOutOfEveryRoomWithinTheTimeout() throws Exception {
        int a = startInstance("--port", "0", "--cluster-timeout", "4s");
        int b = startInstance("--port", "0", "--cluster-timeout", "4s");
        MessageClient alice = connect(a);
        MessageClient bob = connect(b);
        Inbox bobIn = new Inbox(bob);
        assertTrue(join(alice, "alice").isOk());
        assertTrue(alice.call(Message.of("room.join").with("room", "other").with("name", "alice"), WAIT).isOk());
        await().atMost(WAIT).until(() -> join(bob, "bob").header().path("members").size() == 2);

        processes.get(0).process().destroyForcibly(); // SIGKILL: no goodbye to Redis, no close of the sockets
        long killedAt = System.nanoTime();
        await().atMost(Duration.ofSeconds(4 + 4)).until(() -> bobIn.has(e -> e.type().equals("room.left")
                && "alice".equals(e.textField("name")) && "disconnected".equals(e.textField("reason"))));
        long tookMillis = (System.nanoTime() - killedAt) / 1_000_000;
        System.out.println("members of the killed instance left after " + tookMillis + " ms (cluster-timeout 4s)");
        assertTrue(join(connect(b), "alice").isOk(), "the dead instance's names are free again");
    }

    @Test
    void twoProcessesShareOnePortWithReusePortAndOneRoom() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        String listen = "tcp:127.0.0.1:" + port + ",reuse-port=true";
        assertEquals(port, startInstance("--listen", listen));
        assertEquals(port, startInstance("--listen", listen));

        Set<String> instances = new HashSet<>();
        List<MessageClient> byInstance = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 40 && byInstance.size() < 2; i++) {
            MessageClient client = connect(port);
            String id = client.call(Message.of("stats"), WAIT).header().path("cluster").path("instance").asText();
            if (instances.add(id)) {
                byInstance.add(client);
                ids.add(id);
            }
        }
        assertEquals(2, instances.size(), "the kernel spreads connections over both processes: " + instances);
        assertNotEquals(ids.get(0), ids.get(1));
        Inbox first = new Inbox(byInstance.get(0));
        Inbox second = new Inbox(byInstance.get(1));
        assertTrue(join(byInstance.get(0), "one").isOk());
        assertTrue(join(byInstance.get(1), "two").isOk());
        assertTrue(byInstance.get(0).call(Message.of("room.say").with("room", "lobby").with("text", "hi"), WAIT)
                .isOk());
        await().atMost(WAIT).until(() -> first.count("room.message") == 1 && second.count("room.message") == 1);

        JarProcess withoutReusePort = JarProcess.start("--listen", "tcp:127.0.0.1:" + port);
        processes.add(withoutReusePort);
        assertEquals(1, withoutReusePort.awaitExit(START), "a process without reuse-port=true cannot bind the port");
    }
}
