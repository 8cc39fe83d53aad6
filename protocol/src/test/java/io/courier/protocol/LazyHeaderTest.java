package io.courier.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Binary headers stay raw bytes until a handler needs the tree: routing reads type and id without building it, an
 * echo reply goes out as the original bytes with "ok":true spliced in, and building the tree later gives the same
 * message as parsing it up front would.
 */
class LazyHeaderTest {

    private static Message decodeOne(byte[] frame) throws ProtocolException {
        List<Message> out = new ArrayList<>();
        Framing.BINARY.newDecoder(Limits.DEFAULTS).decode(ByteBuffer.wrap(frame), new MessageDecoder.Sink() {
            @Override
            public void onMessage(Message message) {
                out.add(message);
            }

            @Override
            public void onError(ProtocolException error) {
                throw new AssertionError(error.getMessage());
            }
        });
        assertEquals(1, out.size());
        return out.get(0);
    }

    private static byte[] encode(Message message, Framing framing) {
        ByteBuffer buffer = framing.encoder().encode(message);
        return Arrays.copyOfRange(buffer.array(), buffer.position(), buffer.limit());
    }

    @Test
    void routingFieldsAreReadWithoutBuildingTheTree() throws Exception {
        Message message = decodeOne(Streams.frame("{\"type\":\"echo\",\"id\":\"a-7\",\"deep\":{\"x\":[1,2,{}]}}"));
        assertEquals("echo", message.type());
        assertEquals("\"a-7\"", message.id().toString());
        assertFalse(message.isReply());
        assertNull(message.errorCode());
        assertNotNull(message.rawHeader(), "type, id, isReply and errorCode must not build the tree");
    }

    @Test
    void echoReplyIsTheOriginalBytesWithOkSplicedIn() throws Exception {
        String header = "  {\"type\":\"echo\", \"id\":42,\n \"text\":\"你好 🌍\",\"n\":[1,2.5,null]} ";
        byte[] body = {0, 1, 2, (byte) 0xff};
        Message reply = decodeOne(Streams.frame(header, body)).asReply();
        assertTrue(reply.isReply());
        assertTrue(reply.isOk());
        assertNotNull(reply.rawHeader(), "asReply on a lazy header must not build the tree");

        byte[] wire = encode(reply, Framing.BINARY);
        String expectedHeader = "  {\"ok\":true,\"type\":\"echo\", \"id\":42,\n \"text\":\"你好 🌍\",\"n\":[1,2.5,null]} ";
        assertArrayEquals(Streams.frame(expectedHeader, body), wire);

        Message decoded = decodeOne(wire);
        JsonNode tree = decoded.header();
        assertEquals(true, tree.get("ok").booleanValue());
        assertEquals(42, tree.get("id").intValue());
        assertEquals("你好 🌍", tree.get("text").textValue());
        assertArrayEquals(body, decoded.body());
    }

    @Test
    void treeBuiltLaterEqualsTreeParsedUpFront() throws Exception {
        String header = "{\"type\":\"t\",\"id\":1,\"big\":123456789012345678901234567890,\"f\":1.5e3,"
                + "\"s\":\"\\u00e9\\n\",\"o\":{\"a\":[true,false,null]}}";
        Message lazy = decodeOne(Streams.frame(header));
        assertEquals(Json.MAPPER.readTree(header), lazy.header());
        assertNull(lazy.rawHeader(), "once built, the tree is the message");
        lazy.with("added", 1);
        assertEquals(1, decodeOne(encode(lazy, Framing.BINARY)).header().get("added").intValue());
    }

    @Test
    void asReplyOnAHeaderThatAlreadyHasOkSetsItOnceWithoutDuplicates() throws Exception {
        Message message = decodeOne(Streams.frame("{\"type\":\"echo\",\"ok\":false}"));
        assertTrue(message.isReply(), "a message with ok is a reply");
        Message reply = message.asReply();
        String json = new String(encode(reply, Framing.JSON_TEXT), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals("{\"type\":\"echo\",\"ok\":true}\n", json);
    }

    @Test
    void lazyMessageEncodesAsOneLineOfJsonText() throws Exception {
        Message reply = decodeOne(Streams.frame("{\n\"type\":\"echo\",\n\"id\":3\n}", new byte[] {'h', 'i'}))
                .asReply();
        String json = new String(encode(reply, Framing.JSON_TEXT), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals("{\"type\":\"echo\",\"id\":3,\"ok\":true,\"body_base64\":\"aGk=\"}\n", json);
    }

    @Test
    void withBodyKeepsTheLazyHeader() throws Exception {
        Message message = decodeOne(Streams.frame("{\"type\":\"echo\",\"id\":9}"));
        Message withBody = message.withBody(new byte[] {7});
        assertNotNull(withBody.rawHeader());
        assertArrayEquals(Streams.frame("{\"type\":\"echo\",\"id\":9}", new byte[] {7}),
                encode(withBody, Framing.BINARY));
    }

    @Test
    void textFieldReadsTopLevelStringsWithoutBuildingTheTree() throws Exception {
        Message message = decodeOne(Streams.frame(
                "{\"type\":\"echo\",\"o\":{\"pad\":\"inner\"},\"n\":5,\"pad\":\"x\\\"y\"}"));
        assertEquals("x\"y", message.textField("pad"));
        assertNull(message.textField("n"), "not a string");
        assertNull(message.textField("missing"));
        assertNotNull(message.rawHeader(), "textField must not build the tree");
        message.header();
        assertEquals("x\"y", message.textField("pad"));
    }
}
