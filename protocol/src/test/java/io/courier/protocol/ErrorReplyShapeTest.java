package io.courier.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Error replies have exactly PROTOCOL.md's shape: {@code {"type": <type or "error">, "id": <if known>, "ok": false,
 * "error": {"code", "message"}}}, and the codes are PROTOCOL.md's.
 */
class ErrorReplyShapeTest {

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            names.add(field.getKey());
        }
        return names;
    }

    private static void assertErrorShape(Message reply, String type, JsonNode id, String code, String sentence) {
        ObjectNode header = reply.header();
        List<String> expectedFields = id == null ? List.of("type", "ok", "error")
                : List.of("type", "id", "ok", "error");
        assertEquals(expectedFields, fieldNames(header), header.toString());
        assertEquals(type, header.get("type").textValue());
        if (id != null) {
            assertEquals(id, header.get("id"));
        }
        assertTrue(header.get("ok").isBoolean() && !header.get("ok").booleanValue(), header.toString());
        assertEquals(List.of("code", "message"), fieldNames(header.get("error")), header.toString());
        assertEquals(code, header.get("error").get("code").textValue());
        assertEquals(sentence, header.get("error").get("message").textValue());
        assertEquals(0, reply.bodyLength());
        assertTrue(reply.isReply());
        assertFalse(reply.isOk());
        assertEquals(code, reply.errorCode());
        assertEquals(sentence, reply.errorMessage());
    }

    @Test
    void protocolExceptionReplyCarriesTheRequestTypeAndNumericId() {
        ProtocolException error = new ProtocolException(ErrorCode.TOO_LARGE, true, "too big", "file.put",
                Json.NODES.numberNode(5));
        assertErrorShape(error.toReply(), "file.put", Json.NODES.numberNode(5), "too_large", "too big");
        assertEquals("{\"type\":\"file.put\",\"id\":5,\"ok\":false,\"error\":{\"code\":\"too_large\","
                + "\"message\":\"too big\"}}", error.toReply().header().toString());
    }

    @Test
    void protocolExceptionReplyCarriesAStringId() {
        ProtocolException error = new ProtocolException(ErrorCode.BAD_REQUEST, true, "no type", null,
                Json.NODES.textNode("r-1"));
        assertErrorShape(error.toReply(), "error", Json.NODES.textNode("r-1"), "bad_request", "no type");
    }

    @Test
    void unknownTypeAndIdGiveTypeErrorAndNoIdField() {
        ProtocolException error = new ProtocolException(ErrorCode.MALFORMED, false, "cannot parse");
        assertErrorShape(error.toReply(), "error", null, "malformed", "cannot parse");
        assertEquals("{\"type\":\"error\",\"ok\":false,\"error\":{\"code\":\"malformed\","
                        + "\"message\":\"cannot parse\"}}",
                error.toReply().header().toString());
    }

    @Test
    void nullOrMissingIdAndEmptyTypeAreLeftOut() {
        assertErrorShape(Message.error("", Json.NODES.nullNode(), ErrorCode.TIMEOUT, "idle"), "error", null,
                "timeout", "idle");
        assertErrorShape(Message.error(null, com.fasterxml.jackson.databind.node.MissingNode.getInstance(),
                ErrorCode.BUSY, "full"), "error", null, "busy", "full");
    }

    @Test
    void errorReplyToARequestUsesItsTypeAndId() {
        Message request = Message.of("echo").with("id", "abc").with("x", 1);
        assertErrorShape(Message.errorReply(request, ErrorCode.HANDLER_FAILED, "failed"), "echo",
                Json.NODES.textNode("abc"), "handler_failed", "failed");
    }

    @Test
    void errorReplyFromADecodedBadRequestCarriesItsIdWhateverItsKind() throws ProtocolException {
        for (String id : new String[] {"1", "\"x\"", "12345678901234567890", "1.5", "{\"n\":1}"}) {
            Streams.Recorder recorder = new Streams.Recorder();
            new JsonStreamDecoder(Limits.DEFAULTS).decode(
                    ByteBuffer.wrap(Streams.utf8("{\"id\":" + id + "}")), recorder);
            Message reply = recorder.errors.get(0).toReply();
            assertEquals(id, reply.header().get("id").toString());
            assertEquals("error", reply.type());
        }
    }

    @Test
    void successfulReplyCarriesTypeIdAndOkTrue() {
        Message reply = Message.replyTo(Message.of("ping").with("id", 7));
        assertEquals("{\"type\":\"ping\",\"id\":7,\"ok\":true}", reply.header().toString());
        assertTrue(reply.isReply() && reply.isOk());
        assertNull(reply.errorCode());
        assertNull(reply.errorMessage());
        assertFalse(Message.replyTo(Message.of("ping")).header().has("id"));
        assertFalse(Message.of("event").isReply());
    }

    @Test
    void errorRepliesEncodeAsOneJsonLineAndAsABinaryFrame() throws ProtocolException {
        Message reply = new ProtocolException(ErrorCode.UNKNOWN_PROTOCOL, false, Framing.expectation((byte) 'G'))
                .toReply();
        ByteBuffer text = Framing.JSON_TEXT.encoder().encode(reply);
        String line = new String(text.array(), 0, text.remaining(), StandardCharsets.UTF_8);
        assertTrue(line.startsWith("{\"type\":\"error\",\"ok\":false,\"error\":{\"code\":\"unknown_protocol\","), line);
        assertEquals(line.length() - 1, line.indexOf('\n'), line);
        Streams.Recorder recorder = new Streams.Recorder();
        Framing.BINARY.newDecoder(Limits.DEFAULTS).decode(Framing.BINARY.encoder().encode(reply), recorder);
        assertEquals(reply.header(), recorder.messages.get(0).header());
    }

    @Test
    void errorOptionsAreReadFromTheErrorObject() {
        Message reply = Message.error("nope", null, ErrorCode.UNKNOWN_TYPE, "no handler for nope");
        ((ObjectNode) reply.header().get("error")).putArray("options").add("echo").add("ping");
        assertEquals("[\"echo\",\"ping\"]", reply.errorOptions().toString());
        assertEquals(0, Message.of("x").errorOptions().size());
    }

    @Test
    void errorCodesAreTheWireNamesOfProtocolMd() {
        assertEquals(List.of("bad_request", "unknown_type", "too_large", "malformed", "unknown_protocol",
                "handler_failed", "busy", "timeout", "not_found", "conflict", "checksum_mismatch", "limit_exceeded",
                "unauthorized", "forbidden"),
                wireNames());
        for (ErrorCode code : ErrorCode.values()) {
            assertEquals(code, ErrorCode.fromWireName(code.wireName()));
        }
        assertNull(ErrorCode.fromWireName("BAD_REQUEST"));
        assertNull(ErrorCode.fromWireName("nonsense"));
        assertNull(ErrorCode.fromWireName(null));
    }

    private static List<String> wireNames() {
        List<String> names = new ArrayList<>();
        for (ErrorCode code : ErrorCode.values()) {
            names.add(code.wireName());
        }
        return names;
    }
}
