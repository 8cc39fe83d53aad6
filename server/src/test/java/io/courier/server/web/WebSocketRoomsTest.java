package io.courier.server.web;

import io.courier.protocol.Framing;
import io.courier.protocol.Message;
import io.courier.protocol.websocket.MessageKind;
import io.courier.server.Server;
import io.courier.server.support.RawClient;
import io.courier.server.support.TestServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** WebSocket members share rooms with binary-frame and JSON-text members: one room, every framing. */
@Timeout(60)
class WebSocketRoomsTest {
    private static final Duration WAIT = TestServers.REPLY_TIMEOUT;

    @Test
    void aWebSocketABinaryAndAJsonTextMemberHearEachOther() throws Exception {
        try (Server server = TestServers.start();
             WsTestClient web = WsTestClient.open(server.port());
             RawClient text = RawClient.connect(server.port(), Framing.JSON_TEXT);
             RawClient binary = RawClient.connect(server.port(), Framing.BINARY)) {
            web.sendText("{\"type\":\"room.join\",\"id\":1,\"room\":\"mix\",\"name\":\"browser\"}");
            assertEquals(true, web.nextMessage(MessageKind.TEXT, WAIT).isOk());
            text.write("{\"type\":\"room.join\",\"id\":1,\"room\":\"mix\",\"name\":\"terminal\"}\n".getBytes());
            assertEquals(2, text.read(WAIT).header().path("members").size());
            binary.send(Message.of("room.join").with("id", 1).with("room", "mix").with("name", "program"));
            assertEquals(3, binary.read(WAIT).header().path("members").size());
            assertEquals("terminal", web.nextMessage(MessageKind.TEXT, WAIT).textField("name"));
            assertEquals("program", web.nextMessage(MessageKind.TEXT, WAIT).textField("name"));
            assertEquals("program", text.read(WAIT).textField("name")); // room.joined

            // the browser speaks: everyone hears it, the browser included
            web.sendText("{\"type\":\"room.say\",\"id\":2,\"room\":\"mix\",\"text\":\"hi from the page\"}");
            assertSaid(web.nextMessage(MessageKind.TEXT, WAIT), web.nextMessage(MessageKind.TEXT, WAIT),
                    "browser", "hi from the page");
            assertEquals("hi from the page", text.read(WAIT).textField("text"));
            assertEquals("hi from the page", binary.read(WAIT).textField("text"));

            // the terminal speaks: the browser gets it as a WebSocket message
            text.write("{\"type\":\"room.say\",\"id\":2,\"room\":\"mix\",\"text\":\"hi from nc\"}\n".getBytes());
            Message heard = web.nextMessage(MessageKind.TEXT, WAIT);
            assertEquals("room.message", heard.type());
            assertEquals("terminal", heard.textField("name"));
            assertEquals("hi from nc", heard.textField("text"));

            // the browser leaves by closing: the others are told
            web.close();
            Message left = binary.read(WAIT);
            while (!left.type().equals("room.left")) {
                left = binary.read(WAIT);
            }
            assertEquals("browser", left.textField("name"));
            assertEquals("disconnected", left.textField("reason"));
        }
    }

    /** The reply and the room.message event, in either order. */
    private static void assertSaid(Message first, Message second, String name, String text) {
        Message event = first.type().equals("room.message") ? first : second;
        Message reply = event == first ? second : first;
        assertEquals(true, reply.isOk());
        assertEquals(name, event.textField("name"));
        assertEquals(text, event.textField("text"));
    }
}
