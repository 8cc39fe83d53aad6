package io.courier.server;

import io.courier.protocol.Framing;
import io.courier.protocol.Message;
import io.courier.protocol.client.MessageClient;
import io.courier.server.api.Handler;
import io.courier.server.api.Session;
import io.courier.server.metrics.CloseReason;
import io.courier.server.metrics.ServerStats;
import io.courier.server.support.Frames;
import io.courier.server.support.RawClient;
import io.courier.server.support.TestServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static io.courier.server.support.TestServers.REPLY_TIMEOUT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The event loop owns every connection, yet handlers may hand their session to other threads: what those threads
 * send reaches the client, in the order each thread sent it, after the replies already queued. Assertions are on
 * in the test JVM, so a connection touched off the loop thread fails loudly.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SessionFromOtherThreadsTest {

    /**
     * {@code subscribe}: replies at once, then a plain thread (not the loop) sends {@code count} {@code tick} events
     * from each of {@code threads} threads, and closes the session if asked.
     */
    private static final class Subscribe implements Handler {
        final Set<Thread> handlerThreads = ConcurrentHashMap.newKeySet();
        final BlockingQueue<Session> sessions = new ArrayBlockingQueue<>(16);

        @Override
        public String type() {
            return "subscribe";
        }

        @Override
        public Message handle(Message request, Session session) {
            handlerThreads.add(Thread.currentThread());
            sessions.add(session);
            int threads = request.header().path("threads").asInt(1);
            int count = request.header().path("count").asInt(1);
            boolean close = request.header().path("close").asBoolean(false);
            CountDownLatch allSent = new CountDownLatch(threads);
            for (int t = 0; t < threads; t++) {
                int thread = t;
                Thread sender = new Thread(() -> {
                    for (int n = 0; n < count; n++) {
                        session.send(Message.of("tick").with("thread", thread).with("n", n));
                    }
                    allSent.countDown();
                }, "plain-sender-" + t);
                sender.start();
            }
            if (close) {
                Thread closer = new Thread(() -> {
                    try {
                        allSent.await();
                        session.close();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, "plain-closer");
                closer.start();
            }
            return Message.replyTo(request).with("subscribed", true);
        }
    }

    @ParameterizedTest
    @EnumSource(Framing.class)
    void eventSentFromAPlainThreadReachesTheClientAfterTheReply(Framing framing) throws Exception {
        Subscribe subscribe = new Subscribe();
        try (Server server = TestServers.start(subscribe);
             RawClient client = RawClient.connect(server.port(), framing)) {
            client.send(Message.of("subscribe").with("id", 1).with("count", 3));
            List<Message> messages = client.read(4, REPLY_TIMEOUT);
            assertTrue(messages.get(0).isReply(), "the reply was queued first: " + messages.get(0));
            assertEquals(1, messages.get(0).id().asLong());
            for (int n = 0; n < 3; n++) {
                Message event = messages.get(n + 1);
                assertEquals("tick", event.type());
                assertFalse(event.isReply(), "events carry no ok: " + event);
                assertEquals(n, event.header().path("n").asInt(), "one thread's events arrive in its order");
            }
            // Handlers themselves always run on the one loop thread, never the caller's.
            assertEquals(1, subscribe.handlerThreads.size());
            assertNotEquals(Thread.currentThread(), subscribe.handlerThreads.iterator().next());
        }
    }

    @Test
    void manyThreadsSendingAtOnceLoseNothingAndKeepEachThreadsOrder() throws Exception {
        int threads = 8;
        int count = 500;
        try (Server server = TestServers.start(new Subscribe());
             RawClient client = RawClient.connect(server.port(), Framing.BINARY)) {
            client.send(Message.of("subscribe").with("id", 1).with("threads", threads).with("count", count));
            List<Message> messages = client.read(1 + threads * count, REPLY_TIMEOUT);
            int[] next = new int[threads];
            for (Message message : messages.subList(1, messages.size())) {
                int thread = message.header().path("thread").asInt();
                assertEquals(next[thread]++, message.header().path("n").asInt(), "thread " + thread + "'s order");
            }
            for (int t = 0; t < threads; t++) {
                assertEquals(count, next[t], "every event of thread " + t);
            }
            client.send(Message.of("ping").with("id", 2));
            assertEquals(2, client.read(REPLY_TIMEOUT).id().asLong(), "the connection is still fine");
        }
    }

    @Test
    void sessionClosedFromAPlainThreadClosesAfterEverythingQueuedBeforeIt() throws Exception {
        try (Server server = TestServers.start(new Subscribe())) {
            try (RawClient client = RawClient.connect(server.port(), Framing.JSON_TEXT)) {
                client.send(Message.of("subscribe").with("id", 1).with("count", 50).with("close", true));
                List<Message> messages = client.read(51, REPLY_TIMEOUT);
                assertEquals(49, messages.get(50).header().path("n").asInt(), "the last event before the close");
                client.expectEof(REPLY_TIMEOUT);
            }
            await().atMost(REPLY_TIMEOUT).untilAsserted(() -> {
                assertEquals(1, server.stats().closes().get(CloseReason.SERVER_CLOSED));
                assertEquals(0, server.stats().connectionsOpen());
            });
        }
    }

    @Test
    void sendingToASessionWhoseClientLeftIsHarmless() throws Exception {
        Subscribe subscribe = new Subscribe();
        try (Server server = TestServers.start(subscribe)) {
            Session session;
            try (RawClient client = RawClient.connect(server.port(), Framing.BINARY)) {
                client.send(Message.of("subscribe").with("id", 1));
                client.read(2, REPLY_TIMEOUT);
                session = subscribe.sessions.poll(1, TimeUnit.SECONDS);
            }
            await().atMost(REPLY_TIMEOUT).until(() -> server.stats().connectionsOpen() == 0);
            assertFalse(session.isOpen());
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread late = new Thread(() -> {
                try {
                    session.send(Message.of("tick").with("n", 99));
                    session.close();
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            late.start();
            late.join(REPLY_TIMEOUT.toMillis());
            assertNull(failure.get(), "send and close on a closed session must not throw");
            try (MessageClient client = MessageClient.connect(new InetSocketAddress("127.0.0.1", server.port()))) {
                assertTrue(client.call(Message.of("ping"), REPLY_TIMEOUT).isOk(), "the loop is unharmed");
            }
        }
    }

    @Test
    void statsAfterShutdownAnswerAtOnceWithTheFinalCounts() throws Exception {
        Server server = TestServers.start(TestServers.config().drainTimeout(Duration.ofMillis(200)).build());
        try (RawClient client = RawClient.connect(server.port(), Framing.BINARY)) {
            client.send(Message.of("ping").with("id", 1));
            client.read(REPLY_TIMEOUT);
            server.close(); // the client is still connected: it is told, then closed by the shutdown
            assertEquals("server.closing", client.read(REPLY_TIMEOUT).type());
            client.expectEof(REPLY_TIMEOUT);
        } finally {
            server.close();
        }
        // E.g. to log the final counters: no event loop is left to ask, the answer must not wait for one.
        ServerStats.Snapshot stats = assertTimeoutPreemptively(Duration.ofSeconds(5), server::stats);
        assertEquals(1, stats.messagesIn());
        assertEquals(0, stats.connectionsOpen());
        assertEquals(1, stats.closes().get(CloseReason.SHUTDOWN));
    }

    @Test
    void statsCanBeReadFromTestThreadsWhileTrafficFlows() throws Exception {
        int requests = 2_000;
        try (Server server = TestServers.start();
             RawClient client = RawClient.connect(server.port(), Framing.BINARY)) {
            List<Thread> readers = new ArrayList<>();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            CountDownLatch done = new CountDownLatch(1);
            for (int t = 0; t < 4; t++) {
                Thread reader = new Thread(() -> {
                    long lastIn = 0;
                    try {
                        while (done.getCount() > 0) {
                            ServerStats.Snapshot stats = server.stats();
                            assertTrue(stats.messagesIn() >= lastIn, "counters never go back");
                            assertTrue(stats.messagesOut() <= stats.messagesIn(), "one reply per request");
                            lastIn = stats.messagesIn();
                        }
                    } catch (Throwable e) {
                        failure.set(e);
                    }
                }, "stats-reader-" + t);
                reader.start();
                readers.add(reader);
            }
            client.writeInBackground(Frames.echoes(requests, Framing.BINARY));
            client.read(requests, REPLY_TIMEOUT);
            done.countDown();
            for (Thread reader : readers) {
                reader.join(REPLY_TIMEOUT.toMillis());
            }
            assertNull(failure.get(), () -> "a stats reader failed: " + failure.get());
            ServerStats.Snapshot stats = server.stats();
            assertEquals(requests, stats.messagesIn());
            assertEquals(requests, stats.messagesOut());
            assertEquals(1, stats.connectionsOpen());
            assertEquals(1, stats.connectionsTotal());
            assertTrue(stats.bytesIn() > 0 && stats.bytesOut() > 0, stats.toString());
        }
    }
}
