package io.courier.loadtest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.courier.loadtest.ReplyVerifier.Kind;
import io.courier.loadtest.ReplyVerifier.Verdict;
import io.courier.protocol.ErrorCode;
import io.courier.protocol.Json;
import io.courier.protocol.Message;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReplyVerifierTest {
    private final ObjectNode template = Json.NODES.objectNode().put("room", "r1");
    private final RequestFactory echo = new RequestFactory("echo", template, 200, 64, 42);
    private final ReplyVerifier verifier = new ReplyVerifier(echo);
    private final InFlightWindow window = new InFlightWindow();

    /** What a correct echo server sends back for request {@code id}. */
    private Message echoOf(long id) {
        Message request = echo.create(id);
        ObjectNode header = request.header().deepCopy();
        header.put(Message.OK, true);
        return new Message(header, request.body().clone());
    }

    @Test
    void aCorrectEchoIsOkAndCarriesTheStartTime() {
        long id = window.register(1234);
        Verdict verdict = verifier.verify(echoOf(id), window);
        assertEquals(Kind.OK, verdict.kind());
        assertEquals(1234, verdict.startNanos());
        assertTrue(verdict.answersRequest());
        assertEquals(0, window.outstanding());
    }

    @Test
    void requestsArePaddedToAboutHeaderBytes() throws Exception {
        int size = Json.MAPPER.writeValueAsBytes(echo.create(1_000_000).header()).length;
        assertEquals(200, size, 2);
        assertNotNull(echo.filler());
        assertEquals(64, echo.create(1).body().length);
    }

    @Test
    void aCorruptedBodyIsAMismatch() {
        long id = window.register(0);
        Message reply = echoOf(id);
        reply.body()[10] ^= 1;
        Verdict verdict = verifier.verify(reply, window);
        assertEquals(Kind.MISMATCHED, verdict.kind());
        assertTrue(verdict.detail().contains("CRC32"), verdict.detail());
        assertTrue(verdict.answersRequest(), "the request was answered, wrongly");
    }

    @Test
    void anotherRequestsBodyIsAMismatch() {
        long first = window.register(0);
        long second = window.register(0);
        Message reply = echoOf(first).withBody(echo.create(second).body());
        assertEquals(Kind.MISMATCHED, verifier.verify(reply, window).kind());
    }

    @Test
    void aTruncatedBodyIsAMismatch() {
        long id = window.register(0);
        Message reply = echoOf(id);
        reply = reply.withBody(Arrays.copyOf(reply.body(), 63));
        Verdict verdict = verifier.verify(reply, window);
        assertEquals(Kind.MISMATCHED, verdict.kind());
        assertTrue(verdict.detail().contains("63"), verdict.detail());
    }

    @Test
    void aChangedFillerOrTemplateFieldIsAMismatch() {
        long first = window.register(0);
        Message reply = echoOf(first);
        reply.header().put(RequestFactory.FILLER_FIELD, "x");
        assertEquals(Kind.MISMATCHED, verifier.verify(reply, window).kind());

        long second = window.register(0);
        Message other = echoOf(second);
        other.header().put("room", "r2");
        Verdict verdict = verifier.verify(other, window);
        assertEquals(Kind.MISMATCHED, verdict.kind());
        assertTrue(verdict.detail().contains("room"), verdict.detail());
    }

    @Test
    void aReplyWithTheWrongTypeIsAMismatch() {
        long id = window.register(0);
        Message reply = echoOf(id);
        reply.header().put(Message.TYPE, "ping");
        assertEquals(Kind.MISMATCHED, verifier.verify(reply, window).kind());
    }

    @Test
    void anIdNeverSentIsUnknown() {
        window.register(0);
        Verdict verdict = verifier.verify(echoOf(7), window);
        assertEquals(Kind.UNKNOWN_ID, verdict.kind());
        assertFalse(verdict.answersRequest());
        assertEquals(1, window.outstanding(), "the real request is still waiting");
    }

    @Test
    void aNonNumericIdIsUnknown() {
        window.register(0);
        Message reply = echoOf(1);
        reply.header().put(Message.ID, "1");
        assertEquals(Kind.UNKNOWN_ID, verifier.verify(reply, window).kind());
    }

    @Test
    void aSecondReplyToTheSameIdIsADuplicate() {
        long id = window.register(0);
        assertEquals(Kind.OK, verifier.verify(echoOf(id), window).kind());
        Verdict again = verifier.verify(echoOf(id), window);
        assertEquals(Kind.DUPLICATE, again.kind());
        assertFalse(again.answersRequest());
    }

    @Test
    void anErrorReplyAnswersItsRequestAndNamesTheCode() {
        long id = window.register(55);
        Message request = echo.create(id);
        Verdict verdict = verifier.verify(Message.errorReply(request, ErrorCode.HANDLER_FAILED, "boom"), window);
        assertEquals(Kind.ERROR_REPLY, verdict.kind());
        assertEquals("handler_failed", verdict.detail());
        assertEquals(55, verdict.startNanos());
        assertTrue(verdict.answersRequest());
    }

    @Test
    void anErrorWithoutIdAnswersNoRequest() {
        window.register(0);
        Verdict verdict = verifier.verify(Message.error(null, null, ErrorCode.BUSY, "full"), window);
        assertEquals(Kind.ERROR_REPLY, verdict.kind());
        assertEquals("busy", verdict.detail());
        assertFalse(verdict.answersRequest());
        assertEquals(1, window.outstanding());
    }

    @Test
    void aServerEventIsNeitherReplyNorError() {
        assertEquals(Kind.EVENT, verifier.verify(Message.of("shutdown"), window).kind());
    }

    @Test
    void aMessageWithAKnownIdButNoOkIsAMismatch() {
        long id = window.register(0);
        Message reply = echoOf(id);
        reply.header().remove(Message.OK);
        assertEquals(Kind.MISMATCHED, verifier.verify(reply, window).kind());
    }

    @Test
    void pingRepliesNeedANumericTime() {
        ReplyVerifier pings = new ReplyVerifier(RequestFactory.pings());
        long good = window.register(0);
        Message reply = Message.replyTo(RequestFactory.pings().create(good)).with("time", 1L);
        assertEquals(Kind.OK, pings.verify(reply, window).kind());
        long bad = window.register(0);
        assertEquals(Kind.MISMATCHED, pings.verify(Message.replyTo(RequestFactory.pings().create(bad)), window)
                .kind());
    }

    @Test
    void otherTypesAreCheckedForTypeIdAndOkOnly() {
        RequestFactory custom = new RequestFactory("stats", Json.NODES.objectNode(), 0, 0, 1);
        long id = window.register(0);
        Message reply = Message.replyTo(custom.create(id)).with("anything", "goes");
        assertEquals(Kind.OK, new ReplyVerifier(custom).verify(reply, window).kind());
    }

    @Test
    void theTemplateMayNotSetTheFieldsTheClientOwns() {
        for (String field : new String[] {"type", "id", "ok", "pad", "body_base64"}) {
            ObjectNode bad = Json.NODES.objectNode().put(field, "x");
            assertThrows(IllegalArgumentException.class, () -> new RequestFactory("echo", bad, 0, 0, 1), field);
        }
    }

    @Test
    void noPaddingWhenTheHeaderIsAlreadyLargeEnough() {
        assertNull(new RequestFactory("echo", template, 10, 0, 1).filler());
    }
}
