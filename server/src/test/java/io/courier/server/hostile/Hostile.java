package io.courier.server.hostile;

import io.courier.protocol.ErrorCode;
import io.courier.protocol.Message;
import io.courier.server.support.RawClient;

import java.io.IOException;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Assertions the hostile-client tests share. */
final class Hostile {
    /** The latency a well-behaved client is promised while others misbehave (on a loaded 2-core machine). */
    static final Duration PROMPT = Duration.ofSeconds(2);

    private Hostile() {
    }

    /** Sends a ping with {@code id} and fails unless its reply arrives within {@code within}. */
    static void pingWithin(RawClient client, long id, Duration within) throws IOException {
        long start = System.nanoTime();
        client.send(Message.of("ping").with("id", id));
        Message pong = client.read(within); // fails the test when nothing comes within the bound
        assertTrue(pong.isOk(), pong.toString());
        assertEquals(id, pong.id().asLong(), pong.toString());
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertTrue(took.compareTo(within) <= 0, "ping " + id + " took " + took);
    }

    /** PROTOCOL.md's error shape (section Errors) with the given code and type. */
    static void assertError(Message error, ErrorCode code, String type) {
        assertTrue(error.isReply(), "an error is a reply: " + error);
        assertFalse(error.isOk(), "ok must be false: " + error);
        assertEquals(code.wireName(), error.errorCode(), error.toString());
        assertEquals(type, error.type(), error.toString());
        assertTrue(error.errorMessage() != null && !error.errorMessage().isBlank(), "a sentence: " + error);
    }
}
