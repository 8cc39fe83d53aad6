package io.courier.examples.plugin;

import io.courier.protocol.Message;
import io.courier.protocol.client.MessageClient;
import io.courier.server.Server;
import io.courier.server.config.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** On the class path (as in this module's tests), the plugin is found by an embedded server with no option. */
@Timeout(30)
class UpperCaseHandlerTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void classPathPluginServesTextUpper() throws Exception {
        try (Server server = Server.builder().config(ServerConfig.builder().port(0).build()).build().start();
             MessageClient client = MessageClient.connect(server.localAddress())) {
            Message reply = client.call(Message.of("text.upper").with("text", "hello, straße"), WAIT);
            assertTrue(reply.isOk(), reply.toString());
            assertEquals("HELLO, STRASSE", reply.header().path("text").asText());

            Message missing = client.call(Message.of("text.upper"), WAIT);
            assertEquals("bad_request", missing.errorCode());
            assertTrue(missing.errorMessage().contains("\"text\""), missing.errorMessage());
        }
    }
}
