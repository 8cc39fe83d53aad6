package io.courier.bench;

import io.courier.bench.cluster.CourierInstances;
import io.courier.bench.cluster.RedisServer;
import io.courier.protocol.Message;
import io.courier.protocol.client.MessageClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The cluster scenarios' launchers with the real jar: two Courier instances sharing a Redis carry a room message
 * from one to the other, and two instances share one reuse-port listener.
 */
class ClusterLaunchIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private BenchConfig config() {
        return BenchConfig.from(Map.of("pin", "false", "jvm", "-Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1",
                "out", dir.toString(), "jar", "target/bench.jar", "server-jar", "../server/target/server.jar"));
    }

    @Test
    void twoInstancesSharingARedisCarryARoomMessageAcross() throws Exception {
        assumeTrue(RedisServer.onPath().isPresent(), "redis-server is not on the PATH");
        BenchConfig config = config();
        try (RedisServer redis = RedisServer.start(config, dir.resolve("redis.log"), TIMEOUT);
             CourierInstances instances = CourierInstances.start(config, dir, "cluster", 2,
                     ClusterScenarioRunner.serverOptions(Scenario.FANOUT_CLUSTER, redis));
             MessageClient member = MessageClient.connect(new InetSocketAddress("127.0.0.1", instances.port(1)));
             MessageClient speaker = MessageClient.connect(new InetSocketAddress("127.0.0.1", instances.port(0)))) {
            assertEquals(2, instances.processes().size());
            member.callOk(Message.of("room.join").with("room", "r").with("name", "member"), TIMEOUT);
            speaker.callOk(Message.of("room.join").with("room", "r").with("name", "speaker"), TIMEOUT);
            speaker.callOk(Message.of("room.say").with("room", "r").with("text", "across"), TIMEOUT);
            Message said = null;
            for (Message event = member.nextUnsolicited(TIMEOUT); event != null && said == null;
                 event = member.nextUnsolicited(TIMEOUT)) {
                said = "room.message".equals(event.type()) ? event : null;
            }
            assertNotNull(said, "the member on instance 2 got the message said on instance 1");
            assertEquals("across", said.textField("text"));
        }
    }

    @Test
    void twoInstancesShareOneReusePortListener() throws Exception {
        BenchConfig config = config();
        List<String> listen = ClusterScenarioRunner.serverOptions(Scenario.ECHO_TWO_PROCESSES, null);
        try (CourierInstances instances = CourierInstances.start(config, dir, "reuse", 2, listen)) {
            assertEquals(instances.port(0), instances.port(1), "one port for both");
            List<MessageClient> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 20; i++) {
                    MessageClient client = MessageClient.connect(new InetSocketAddress("127.0.0.1",
                            instances.port(0)));
                    clients.add(client);
                    assertTrue(client.callOk(Message.of("ping"), TIMEOUT).isOk());
                }
            } finally {
                for (MessageClient client : clients) {
                    client.close();
                }
            }
            assertTrue(instances.allAlive());
        }
    }
}
