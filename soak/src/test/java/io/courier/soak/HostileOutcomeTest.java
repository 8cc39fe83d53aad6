package io.courier.soak;

import io.courier.protocol.ErrorCode;
import io.courier.protocol.Framing;
import io.courier.protocol.Message;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HostileOutcomeTest {
    private static final Message PONG = Message.of("ping").with("id", 1).with("ok", true);
    private static final Message MALFORMED = Message.error(null, null, ErrorCode.MALFORMED, "broken");

    @Test
    void outcomeNamesEachReplyAndHowTheConnectionEnded() {
        byte[] text = HostileKind.concat(HostileKind.encode(PONG, Framing.JSON_TEXT),
                HostileKind.encode(MALFORMED, Framing.JSON_TEXT));
        String outcome = HostileKind.describe(new HostileSocket.Answer(text, HostileSocket.End.EOF),
                Framing.JSON_TEXT);
        assertEquals("ok, malformed, then EOF", outcome);
        assertTrue(HostileKind.MALFORMED.expected(outcome));
        assertFalse(HostileKind.GARBAGE.expected(outcome));
    }

    @Test
    void aResetOrSilenceIsNotWhatTheProtocolPromisesForGarbage() {
        String reset = HostileKind.describe(new HostileSocket.Answer(new byte[0], HostileSocket.End.RESET),
                Framing.JSON_TEXT);
        assertEquals("nothing, then RESET", reset);
        assertFalse(HostileKind.GARBAGE.expected(reset));
        assertTrue(HostileKind.HALF_FRAME_RESET.expected(reset), "abuse that promises nothing accepts anything");
    }

    @Test
    void aCutOffReplyIsLeftOutAndCountsAsMissing() {
        byte[] frames = HostileKind.encode(Message.error(null, null, ErrorCode.TOO_LARGE, "big"), Framing.BINARY);
        byte[] partial = HostileKind.concat(frames, new byte[] {0, 0, 0});
        assertEquals("too_large, then TIMEOUT", HostileKind.describe(
                new HostileSocket.Answer(partial, HostileSocket.End.TIMEOUT), Framing.BINARY));
        assertEquals("too_large, ok", HostileKind.describe(new HostileSocket.Answer(HostileKind.concat(frames,
                HostileKind.encode(PONG, Framing.BINARY)), null), Framing.BINARY));
        assertTrue(HostileKind.OVERSIZED_BINARY.expected("too_large, ok"));
    }
}
