package io.courier.server.guarantees;

import io.courier.protocol.Framing;
import io.courier.protocol.Message;
import io.courier.server.Server;
import io.courier.server.support.Frames;
import io.courier.server.support.RawClient;
import io.courier.server.support.TestServers;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static io.courier.server.support.TestServers.REPLY_TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * README, "What the server guarantees": every request on a healthy connection gets exactly one reply; replies of
 * handlers on the event loop come in request order; blocking handlers' replies keep their own order. Checked on a
 * pipeline that mixes every kind of outcome a request can have while the connection stays open.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ExactlyOneReplyTest {
    private static final int MAX_BODY = 1024;
    private static final int ROUNDS = 40;

    /** What one request is and which reply it must get; {@code blocking} for the file.* handlers. */
    private record Expected(String code, boolean blocking) {
    }

    @ParameterizedTest
    @EnumSource(Framing.class)
    void everyRequestOfAMixedPipelineGetsExactlyOneReplyAndNothingElseBeforeTheClose(Framing framing,
                                                                                     @TempDir Path files)
            throws Exception {
        Map<Long, Expected> expected = new LinkedHashMap<>();
        ByteArrayOutputStream pipeline = new ByteArrayOutputStream();
        long id = 0;
        for (int round = 0; round < ROUNDS; round++) {
            pipeline.writeBytes(Frames.encode(Frames.echo(++id, "round " + round), framing));
            expected.put(id, new Expected("ok", false));
            pipeline.writeBytes(Frames.encode(Message.of("ping").with("id", ++id), framing));
            expected.put(id, new Expected("ok", false));
            pipeline.writeBytes(raw("{\"type\":\"no.such.type\",\"id\":" + (++id) + "}", framing));
            expected.put(id, new Expected("unknown_type", false));
            pipeline.writeBytes(raw("{\"id\":" + (++id) + ",\"text\":\"a request without a type\"}", framing));
            expected.put(id, new Expected("bad_request", false));
            pipeline.writeBytes(Frames.encode(Message.of("room.say").with("id", ++id).with("room", "r")
                    .with("text", "not a member"), framing));
            expected.put(id, new Expected("bad_request", false));
            pipeline.writeBytes(Frames.encode(Message.of("file.status").with("id", ++id)
                    .with("name", "f-" + round), framing));
            expected.put(id, new Expected("ok", true));
            pipeline.writeBytes(Frames.encode(Message.of("file.get").with("id", ++id)
                    .with("name", "missing-" + round), framing));
            expected.put(id, new Expected("not_found", true));
            if (framing == Framing.BINARY) {
                // Over max-body-bytes: binary framing skips exactly this frame and answers it by its id.
                pipeline.writeBytes(Frames.binary("{\"type\":\"echo\",\"id\":" + (++id) + "}",
                        new byte[MAX_BODY + 1]));
                expected.put(id, new Expected("too_large", false));
            }
        }
        try (Server server = TestServers.start(TestServers.config().maxBodyBytes(MAX_BODY).filesDir(files).build());
             RawClient client = RawClient.connect(server.port(), framing)) {
            client.write(pipeline.toByteArray());
            client.shutdownOutput(); // so the end of the replies is a clean EOF, not a timeout
            List<Message> replies = client.readUntilEof(REPLY_TIMEOUT.multipliedBy(2));

            Map<Long, Integer> seen = new TreeMap<>();
            List<Long> loopOrder = new ArrayList<>();
            List<Long> blockingOrder = new ArrayList<>();
            for (Message reply : replies) {
                assertTrue(reply.isReply(), "only replies on this connection, no events: " + reply);
                assertNotNull(reply.id(), "every request carried an id, so every reply does: " + reply);
                long replyId = reply.id().asLong();
                Expected want = expected.get(replyId);
                assertNotNull(want, "a reply to a request that was never sent: " + reply);
                seen.merge(replyId, 1, Integer::sum);
                assertEquals(want.code(), reply.isOk() ? "ok" : reply.errorCode(), "request " + replyId);
                (want.blocking() ? blockingOrder : loopOrder).add(replyId);
            }
            assertEquals(expected.size(), replies.size(), "one reply per request, no more, no fewer");
            for (Long requestId : expected.keySet()) {
                assertEquals(1, seen.getOrDefault(requestId, 0), "replies to request " + requestId);
            }
            assertEquals(sorted(loopOrder), loopOrder, "loop handlers reply in request order");
            assertEquals(sorted(blockingOrder), blockingOrder, "one connection's blocking requests keep their order");
        }
    }

    private static byte[] raw(String json, Framing framing) {
        return framing == Framing.BINARY ? Frames.binary(json) : Frames.utf8(json + "\n");
    }

    private static List<Long> sorted(List<Long> ids) {
        List<Long> copy = new ArrayList<>(ids);
        copy.sort(null);
        return copy;
    }
}
