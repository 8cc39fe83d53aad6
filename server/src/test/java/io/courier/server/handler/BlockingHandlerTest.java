package io.courier.server.handler;

import io.courier.server.api.Handler;
import io.courier.server.api.Session;

import io.courier.protocol.Framing;
import io.courier.protocol.Message;
import io.courier.protocol.client.MessageClient;
import io.courier.server.Server;
import io.courier.server.config.ServerConfig;
import io.courier.server.config.ServerConfigBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Blocking handlers run on the worker pool: the loop keeps serving, order holds per connection, overload is busy. */
@Timeout(30)
class BlockingHandlerTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    /** Blocks until the test releases it, then replies with the request's "n". */
    static final class GateHandler implements Handler {
        final CountDownLatch gate = new CountDownLatch(1);
        final List<Long> order = new ArrayList<>();

        @Override
        public String type() {
            return "gate";
        }

        @Override
        public boolean blocking() {
            return true;
        }

        @Override
        public Message handle(Message request, Session session) throws InterruptedException {
            assertTrue(gate.await(20, TimeUnit.SECONDS), "the test never opened the gate");
            synchronized (order) {
                order.add(request.header().path("n").asLong());
            }
            return Message.replyTo(request).with("n", request.header().path("n").asLong())
                    .with("thread", Thread.currentThread().getName());
        }
    }

    private static Server start(Handler handler, ServerConfigBuilder config) throws Exception {
        return Server.builder().config(config.port(0).build()).handler(handler).build().start();
    }

    @Test
    void slowBlockingHandlerDoesNotDelayPingOnAnotherConnection() throws Exception {
        GateHandler gate = new GateHandler();
        try (Server server = start(gate, ServerConfig.builder());
             MessageClient slow = MessageClient.connect(server.localAddress());
             MessageClient fast = MessageClient.connect(server.localAddress())) {
            CompletableFuture<Message> blocked = slow.request(Message.of("gate").with("n", 1));
            for (int i = 0; i < 20; i++) {
                Message pong = fast.call(Message.of("ping"), WAIT);
                assertTrue(pong.isOk(), pong.toString());
            }
            // The same connection is not stuck either: loop handlers answer while its blocking request waits.
            assertTrue(slow.call(Message.of("ping"), WAIT).isOk());
            assertFalse(blocked.isDone(), "the gate is still closed");
            gate.gate.countDown();
            Message reply = blocked.get(10, TimeUnit.SECONDS);
            assertTrue(reply.isOk());
            assertTrue(reply.header().path("thread").asText().startsWith("courier-worker-"), reply.toString());
        }
    }

    @Test
    void blockingRequestsOfOneConnectionRunInArrivalOrder() throws Exception {
        GateHandler gate = new GateHandler();
        gate.gate.countDown();
        try (Server server = start(gate, ServerConfig.builder().workerThreads(8));
             MessageClient client = MessageClient.connect(server.localAddress(), Framing.BINARY, WAIT)) {
            List<CompletableFuture<Message>> replies = new ArrayList<>();
            for (int n = 0; n < 200; n++) {
                replies.add(client.request(Message.of("gate").with("n", n)));
            }
            for (int n = 0; n < 200; n++) {
                assertEquals(n, replies.get(n).get(10, TimeUnit.SECONDS).header().path("n").asLong());
            }
            List<Long> expected = new ArrayList<>();
            for (long n = 0; n < 200; n++) {
                expected.add(n);
            }
            assertEquals(expected, gate.order);
        }
    }

    @Test
    void fullWorkerQueueAnswersBusyInsteadOfWaiting() throws Exception {
        GateHandler gate = new GateHandler();
        try (Server server = start(gate, ServerConfig.builder().workerThreads(1).workerQueue(1))) {
            List<MessageClient> clients = new ArrayList<>();
            try {
                List<CompletableFuture<Message>> replies = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    MessageClient client = MessageClient.connect(server.localAddress());
                    clients.add(client);
                    replies.add(client.request(Message.of("gate").with("n", i)));
                }
                // One runs, one waits in the queue; the other two are refused at once with busy (which two depends
                // on the order the loop reads them), long before the gate opens.
                await().atMost(WAIT).until(() -> replies.stream().filter(CompletableFuture::isDone).count() == 2);
                for (CompletableFuture<Message> reply : replies) {
                    if (reply.isDone()) {
                        assertEquals("busy", reply.get().errorCode(), reply.get().toString());
                    }
                }
                gate.gate.countDown();
                for (CompletableFuture<Message> reply : replies) {
                    Message message = reply.get(10, TimeUnit.SECONDS);
                    assertTrue(message.isOk() || "busy".equals(message.errorCode()), message.toString());
                }
                assertEquals(2, replies.stream().filter(r -> r.join().isOk()).count());
            } finally {
                for (MessageClient client : clients) {
                    client.close();
                }
            }
        }
    }
}
