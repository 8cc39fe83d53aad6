package io.courier.server.cluster;

import io.courier.protocol.Message;
import io.courier.protocol.client.MessageClient;
import io.courier.server.Server;
import io.courier.server.config.RoomsConfig;
import io.courier.server.rooms.Inbox;
import io.courier.server.support.TestServers;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import static org.awaitility.Awaitility.await;

/** One real Redis and any number of in-process servers sharing rooms through it, with clients; closes them all. */
final class ClusterFixture implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(15);

    final RedisProcess redis;
    private final List<Server> servers = new ArrayList<>();
    private final List<MessageClient> clients = new ArrayList<>();

    ClusterFixture() throws IOException {
        this.redis = RedisProcess.start();
    }

    /** A server in cluster mode on this Redis, connected (its stats say so) before it is returned. */
    Server server(UnaryOperator<RoomsConfig> rooms) throws IOException {
        Server server = startServer(redis.uri(), rooms);
        awaitClusterState(server, "connected");
        return server;
    }

    Server server() throws IOException {
        return server(r -> r);
    }

    /** A server in cluster mode on {@code uri}, not waiting for its link. */
    Server startServer(URI uri, UnaryOperator<RoomsConfig> rooms) throws IOException {
        Server server = TestServers.start(TestServers.config().rooms(r -> rooms.apply(r.withCluster(uri))).build());
        servers.add(server);
        return server;
    }

    static String clusterState(Server server) {
        return server.stats().cluster().state();
    }

    static void awaitClusterState(Server server, String state) {
        await("cluster state " + state).atMost(WAIT).until(() -> clusterState(server).equals(state));
    }

    Member connect(Server server) throws IOException {
        MessageClient client = MessageClient.connect(server.localAddress());
        clients.add(client);
        return new Member(client, new Inbox(client));
    }

    /** A client with what it has received. */
    record Member(MessageClient client, Inbox inbox) {
        Message join(String room, String name) throws Exception {
            return client.call(Message.of("room.join").with("room", room).with("name", name), WAIT);
        }

        Message say(String room, String text) throws Exception {
            return client.call(Message.of("room.say").with("room", room).with("text", text), WAIT);
        }

        /** The texts of the room.message events received, in order. */
        List<String> texts() {
            List<String> texts = new ArrayList<>();
            inbox.ofType("room.message").forEach(m -> texts.add(m.textField("text")));
            return texts;
        }

        /** room.joined / room.left events as "joined:NAME" and "left:NAME:REASON", in order. */
        List<String> presence() {
            List<String> events = new ArrayList<>();
            for (Message event : inbox.all()) {
                if (event.type().equals("room.joined")) {
                    events.add("joined:" + event.textField("name"));
                } else if (event.type().equals("room.left")) {
                    events.add("left:" + event.textField("name") + ":" + event.textField("reason"));
                }
            }
            return events;
        }

        void close() throws IOException {
            client.close();
        }
    }

    @Override
    public void close() throws Exception {
        for (MessageClient client : clients) {
            client.close();
        }
        for (Server server : servers) {
            server.close();
        }
        redis.close();
    }
}
