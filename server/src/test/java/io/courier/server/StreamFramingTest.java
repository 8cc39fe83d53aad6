package io.courier.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.courier.protocol.Framing;
import io.courier.protocol.Json;
import io.courier.protocol.Message;
import io.courier.server.support.Frames;
import io.courier.server.support.NoErrorLogged;
import io.courier.server.support.RawClient;
import io.courier.server.support.TestServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.courier.server.support.TestServers.REPLY_TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The framing layer against clients that send too fast or too slowly: many messages in one write, one message
 * over many writes, JSON objects glued together or newline-delimited. Every request gets its reply, in order.
 */
@ExtendWith(NoErrorLogged.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StreamFramingTest {
    private Server server;

    @BeforeEach
    void startServer() throws Exception {
        server = TestServers.start();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @ParameterizedTest
    @EnumSource(Framing.class)
    void thousandsOfMessagesInOneWriteAllGetRepliesInOrder(Framing framing) throws Exception {
        int count = 5_000;
        byte[] all = Frames.echoes(count, framing);
        try (RawClient client = RawClient.connect(server.port(), framing)) {
            // One write call for all 5,000 requests. It runs on its own thread so that the test reading replies
            // meanwhile can never deadlock with a server that stops reading while its replies are unread.
            CompletableFuture<Void> writing = client.writeInBackground(all);
            List<Message> replies = client.read(count, REPLY_TIMEOUT.multipliedBy(3));
            writing.get(10, TimeUnit.SECONDS);
            for (int i = 0; i < count; i++) {
                Message reply = replies.get(i);
                assertEquals("echo", reply.type(), "reply " + i);
                assertTrue(reply.isOk(), "reply " + i + ": " + reply);
                assertEquals(i, reply.id().asLong(), "replies must come in request order");
                assertEquals("message " + i, reply.header().path("text").asText(), "reply " + i);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Framing.class)
    void oneMessageDribbledOneBytePerWriteGetsExactlyOneReply(Framing framing) throws Exception {
        // Multi-byte UTF-8 in the header and a body, so some writes carry half a character.
        byte[] body = Frames.randomBytes(300, 7);
        Message request = Message.of("echo").with("id", 42).with("text", "dribble 一字一字 ✓").withBody(body);
        byte[] bytes = Frames.encode(request, framing);
        try (RawClient client = RawClient.connect(server.port(), framing)) {
            assertTrue(client.socket().getTcpNoDelay(), "each byte must leave as its own segment");
            client.writeDribbled(bytes);
            Message reply = client.read(REPLY_TIMEOUT);
            assertEquals(42, reply.id().asLong());
            assertTrue(reply.isOk(), reply.toString());
            assertEquals("dribble 一字一字 ✓", reply.header().path("text").asText());
            assertArrayEquals(body, reply.body());

            // The decoder is back at a message boundary: a second dribbled message decodes as well.
            client.writeDribbled(Frames.encode(Frames.echo(43, "again"), framing));
            Message second = client.read(REPLY_TIMEOUT);
            assertEquals(43, second.id().asLong());
            assertEquals("again", second.header().path("text").asText());
        }
    }

    @Test
    void gluedJsonObjectsWithoutSeparatorEachGetAReply() throws Exception {
        try (RawClient client = RawClient.connect(server.port(), Framing.JSON_TEXT)) {
            // The case Python's json.loads rejects with "Extra data".
            client.write(Frames.utf8("{\"type\":\"ping\"}{\"type\":\"ping\"}"));
            List<Message> replies = client.read(2, REPLY_TIMEOUT);
            for (Message reply : replies) {
                assertEquals("ping", reply.type());
                assertTrue(reply.isOk(), reply.toString());
                assertTrue(reply.header().path("time").isIntegralNumber(), "ping replies carry the server time");
            }

            client.write(Frames.utf8("{\"type\":\"echo\",\"id\":1,\"s\":\"}{\"}{\"type\":\"echo\",\"id\":2,\"s\":\"{\"}"));
            List<Message> echoes = client.read(2, REPLY_TIMEOUT);
            assertEquals(1, echoes.get(0).id().asLong());
            assertEquals("}{", echoes.get(0).header().path("s").asText(), "braces inside strings are not boundaries");
            assertEquals(2, echoes.get(1).id().asLong());
            assertEquals("{", echoes.get(1).header().path("s").asText());
        }
    }

    @Test
    void newlineDelimitedJsonWithBlankLinesAndCrlfEachGetAReply() throws Exception {
        String ndjson = "{\"type\":\"ping\",\"id\":1}\n"
                + "{\"type\":\"echo\",\"id\":2,\"text\":\"hi\"}\r\n"
                + "\n   \t\n"
                + "{\"type\":\"types\",\"id\":3}\n";
        try (RawClient client = RawClient.connect(server.port(), Framing.JSON_TEXT)) {
            client.write(Frames.utf8(ndjson));
            List<Message> replies = client.read(3, REPLY_TIMEOUT);
            assertEquals("ping", replies.get(0).type());
            assertEquals(1, replies.get(0).id().asLong());
            assertEquals("hi", replies.get(1).header().path("text").asText());
            assertEquals(2, replies.get(1).id().asLong());
            assertEquals("types", replies.get(2).type());
            JsonNode types = replies.get(2).header().path("types");
            List<String> listed = new ArrayList<>();
            types.forEach(type -> listed.add(type.path("type").asText()));
            assertEquals(listed.stream().sorted().collect(Collectors.toList()), listed, "types are listed sorted");
            assertTrue(listed.containsAll(List.of("echo", "ping", "stats", "types")), listed.toString());
            for (JsonNode type : types) {
                assertTrue(!type.path("description").asText().isBlank(), "every type has a description: " + type);
            }
        }
    }

    @Test
    void jsonTextRepliesComeOneObjectPerLine() throws Exception {
        // What a client reading line by line (Python's readline, nc) relies on.
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout((int) REPLY_TIMEOUT.toMillis());
            socket.getOutputStream().write(Frames.utf8(
                    "{\"type\":\"ping\",\"id\":1}{\"type\":\"echo\",\"id\":2,\"text\":\"line\\nbreak 中文\"}"));
            BufferedReader lines = new BufferedReader(
                    new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            JsonNode first = Json.MAPPER.readTree(lines.readLine());
            JsonNode second = Json.MAPPER.readTree(lines.readLine());
            assertEquals(1, first.path("id").asLong());
            assertEquals("ping", first.path("type").asText());
            assertEquals(2, second.path("id").asLong());
            assertEquals("line\nbreak 中文", second.path("text").asText());
        }
    }
}
