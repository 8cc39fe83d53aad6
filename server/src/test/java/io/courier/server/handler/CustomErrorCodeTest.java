package io.courier.server.handler;

import io.courier.server.api.Handler;
import io.courier.server.api.Session;

import io.courier.protocol.Message;
import io.courier.protocol.client.MessageClient;
import io.courier.server.Server;
import io.courier.server.config.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A handler (a plugin, say) may build its own error reply with a code PROTOCOL.md does not list. The reply reaches
 * the client and the connection stays open; the stats simply do not count that code.
 */
@Timeout(30)
class CustomErrorCodeTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void errorReplyWithAnUnlistedCodeIsDeliveredAndTheConnectionLives() throws Exception {
        Handler teapot = new Handler() {
            @Override
            public String type() {
                return "brew";
            }

            @Override
            public Message handle(Message request, Session session) {
                Message reply = Message.replyTo(request).with(Message.OK, false);
                reply.header().putObject(Message.ERROR).put("code", "teapot").put("message", "I am a teapot");
                return reply;
            }
        };
        try (Server server = Server.builder().config(ServerConfig.builder().port(0).build()).handler(teapot).build()
                .start();
             MessageClient client = MessageClient.connect(server.localAddress())) {
            assertEquals("teapot", client.call(Message.of("brew"), WAIT).errorCode());
            assertTrue(client.call(Message.of("ping"), WAIT).isOk());
            assertEquals(1, server.stats().connectionsOpen());
        }
    }
}
