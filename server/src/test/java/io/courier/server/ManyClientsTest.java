package io.courier.server;

import io.courier.protocol.Framing;
import io.courier.protocol.Message;
import io.courier.protocol.client.MessageClient;
import io.courier.server.metrics.CloseReason;
import io.courier.server.support.Frames;
import io.courier.server.support.RawClient;
import io.courier.server.support.TestServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.courier.server.support.TestServers.REPLY_TIMEOUT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Many clients at once on the one loop thread: every client gets exactly its own replies, in its own order. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ManyClientsTest {
    private static final int CLIENTS = 500;
    private static final int REQUESTS_EACH = 20;

    @Test
    void fiveHundredClientsPipeliningTwentyRequestsEachAllGetTheirOwnRepliesInOrder() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<RawClient> clients = new ArrayList<>(CLIENTS);
        try (Server server = TestServers.start()) {
            for (int c = 0; c < CLIENTS; c++) {
                clients.add(RawClient.connect(server.port(), c % 2 == 0 ? Framing.BINARY : Framing.JSON_TEXT));
            }
            await().atMost(REPLY_TIMEOUT).until(() -> server.stats().connectionsOpen() == CLIENTS);

            // Every client sends its 20 requests in one write without waiting, all clients released together.
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> sends = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                RawClient client = clients.get(c);
                byte[] requests = requestsOf(c, client.framing());
                sends.add(pool.submit(() -> {
                    go.await();
                    client.write(requests);
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> send : sends) {
                send.get(30, TimeUnit.SECONDS);
            }

            List<Future<?>> checks = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int clientNumber = c;
                RawClient client = clients.get(c);
                checks.add(pool.submit(() -> {
                    List<Message> replies = client.read(REQUESTS_EACH, REPLY_TIMEOUT.multipliedBy(3));
                    for (int r = 0; r < REQUESTS_EACH; r++) {
                        Message reply = replies.get(r);
                        assertTrue(reply.isOk(), reply.toString());
                        assertEquals(idOf(clientNumber, r), reply.id().asLong(), "client " + clientNumber);
                        assertEquals(clientNumber + "-" + r, reply.header().path("text").asText());
                    }
                    return null;
                }));
            }
            for (Future<?> check : checks) {
                check.get(60, TimeUnit.SECONDS);
            }
            assertEquals((long) CLIENTS * REQUESTS_EACH, server.stats().messagesIn());
            assertEquals((long) CLIENTS * REQUESTS_EACH, server.stats().messagesOut());

            for (RawClient client : clients) {
                client.close();
            }
            await().atMost(REPLY_TIMEOUT).untilAsserted(() -> {
                assertEquals(0, server.stats().connectionsOpen());
                assertEquals(CLIENTS, server.stats().closes().get(CloseReason.CLIENT_CLOSED));
            });
        } finally {
            pool.shutdownNow();
            for (RawClient client : clients) {
                client.close();
            }
        }
    }

    @Test
    void clientsMatchingRepliesByIdOnSeparateThreadsAllGetAnswers() throws Exception {
        // The blocking MessageClient, many requests in flight per connection, several connections in parallel.
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try (Server server = TestServers.start()) {
            List<CompletableFuture<Void>> runs = new ArrayList<>();
            for (int c = 0; c < 20; c++) {
                int clientNumber = c;
                runs.add(CompletableFuture.runAsync(() -> {
                    try (MessageClient client = MessageClient.connect(
                            new InetSocketAddress("127.0.0.1", server.port()),
                            clientNumber % 2 == 0 ? Framing.BINARY : Framing.JSON_TEXT, Duration.ofSeconds(10))) {
                        List<CompletableFuture<Message>> replies = new ArrayList<>();
                        for (int r = 0; r < 200; r++) {
                            replies.add(client.request(Message.of("echo").with("text", clientNumber + ":" + r)));
                        }
                        for (int r = 0; r < 200; r++) {
                            Message reply = replies.get(r).get(REPLY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                            assertEquals(clientNumber + ":" + r, reply.header().path("text").asText());
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, pool));
            }
            CompletableFuture.allOf(runs.toArray(new CompletableFuture<?>[0])).get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
    }

    private static long idOf(int client, int request) {
        return client * 1000L + request;
    }

    private static byte[] requestsOf(int client, Framing framing) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int r = 0; r < REQUESTS_EACH; r++) {
            all.writeBytes(Frames.encode(Frames.echo(idOf(client, r), client + "-" + r), framing));
        }
        return all.toByteArray();
    }
}
