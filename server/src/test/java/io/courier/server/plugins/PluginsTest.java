package io.courier.server.plugins;

import io.courier.protocol.Message;
import io.courier.protocol.client.MessageClient;
import io.courier.server.Server;
import io.courier.server.config.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Handlers from plugin jars: found in --plugins DIR or on the class path; a type clash stops the start. */
@Timeout(60)
class PluginsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String REVERSE = PluginJars.handler("demo.Reverse", "demo.reverse",
            "return Message.replyTo(request).with(\"text\", "
                    + "new StringBuilder(request.header().path(\"text\").asText()).reverse().toString());");

    @TempDir
    Path work;

    @Test
    void jarsInThePluginsDirectoryAddTheirTypes() throws Exception {
        Path plugins = Files.createDirectories(work.resolve("plugins"));
        Files.move(PluginJars.build(work, "reverse", Map.of("demo.Reverse", REVERSE)),
                plugins.resolve("reverse.jar"));
        Files.writeString(plugins.resolve("README.txt"), "not a jar: ignored");
        ServerConfig config = ServerConfig.builder().port(0).pluginsDir(plugins).build();
        try (Server server = Server.builder().config(config).build().start();
             MessageClient client = MessageClient.connect(server.localAddress())) {
            Message reply = client.call(Message.of("demo.reverse").with("text", "courier"), WAIT);
            assertEquals("reiruoc", reply.header().path("text").asText(), reply.toString());
            assertTrue(client.call(Message.of("types"), WAIT).header().path("types").toString()
                    .contains("\"demo.reverse\""));
        }
    }

    @Test
    void handlersOnTheClassPathAreFoundWithoutAnyOption() throws Exception {
        Path jar = PluginJars.build(work, "reverse", Map.of("demo.Reverse", REVERSE));
        Thread thread = Thread.currentThread();
        ClassLoader original = thread.getContextClassLoader();
        try (URLClassLoader classPath = new URLClassLoader(new URL[] {jar.toUri().toURL()}, original)) {
            thread.setContextClassLoader(classPath);
            try (Server server = Server.builder().config(ServerConfig.builder().port(0).build()).build().start();
                 MessageClient client = MessageClient.connect(server.localAddress())) {
                assertEquals("cba", client.call(Message.of("demo.reverse").with("text", "abc"), WAIT)
                        .header().path("text").asText());
            }
        } finally {
            thread.setContextClassLoader(original);
        }
    }

    @Test
    void aPluginServingABuiltInTypeStopsTheStartWithBothNames() throws Exception {
        Path plugins = Files.createDirectories(work.resolve("plugins"));
        Files.move(PluginJars.build(work, "clash", Map.of("demo.MyPing", PluginJars.handler("demo.MyPing", "ping",
                "return null;"))), plugins.resolve("clash.jar"));
        Server.Builder builder = Server.builder().config(ServerConfig.builder().port(0).pluginsDir(plugins).build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, builder::build);
        assertTrue(e.getMessage().contains("demo.MyPing from " + plugins.resolve("clash.jar")), e.getMessage());
        assertTrue(e.getMessage().contains("serves type 'ping', which io.courier.server.builtin.PingHandler "
                + "already serves"), e.getMessage());
    }

    @Test
    void aMissingPluginsDirectoryIsAConfigurationError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ServerConfig.builder().pluginsDir(work.resolve("nope")).build());
        assertTrue(e.getMessage().startsWith("plugins must be a directory"), e.getMessage());
    }

    /** A plugin compiled against classes the server does not have fails its own requests, nothing else. */
    @Test
    void aPluginThrowingALinkageErrorCostsOneErrorReplyNotTheEventLoop() throws Exception {
        Path plugins = Files.createDirectories(work.resolve("plugins"));
        Files.move(PluginJars.build(work, "broken", Map.of("demo.Broken", PluginJars.handler("demo.Broken",
                "demo.broken", "throw new NoSuchMethodError(\"demo.Missing.method()\");"))),
                plugins.resolve("broken.jar"));
        ServerConfig config = ServerConfig.builder().port(0).pluginsDir(plugins).build();
        try (Server server = Server.builder().config(config).build().start();
             MessageClient client = MessageClient.connect(server.localAddress())) {
            assertEquals("handler_failed", client.call(Message.of("demo.broken"), WAIT).errorCode());
            assertTrue(client.call(Message.of("ping"), WAIT).isOk(), "the loop still runs");
        }
    }
}
