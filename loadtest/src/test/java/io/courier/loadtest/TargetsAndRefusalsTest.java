package io.courier.loadtest;

import io.courier.protocol.Framing;
import io.courier.server.Server;
import io.courier.server.config.ServerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Several targets at once, and a server that refuses a connection before it knows the client's framing. */
class TargetsAndRefusalsTest {
    private final List<Server> servers = new ArrayList<>();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @AfterEach
    void stopServers() {
        servers.forEach(Server::close);
    }

    private Server start(ServerConfig config) throws Exception {
        Server server = Server.builder().config(config).build().start();
        servers.add(server);
        return server;
    }

    private int run(String... args) {
        return LoadTestMain.execute(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void connectionsGoRoundRobinOverEveryTarget() throws Exception {
        Server a = start(ServerConfig.builder().port(0).build());
        Server b = start(ServerConfig.builder().port(0).build());

        int exit = run("--target", "127.0.0.1:" + a.port(), "--target", "127.0.0.1:" + b.port(), "-c", "6",
                "-d", "4", "--requests", "3000", "--warmup", "0", "--quiet");

        String printed = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, exit, printed + err.toString(StandardCharsets.UTF_8));
        assertTrue(printed.contains("127.0.0.1:" + a.port() + ",127.0.0.1:" + b.port()), printed);
        assertEquals(3, a.stats().connectionsTotal(), "connections to the first target");
        assertEquals(3, b.stats().connectionsTotal(), "connections to the second target");
        assertTrue(a.stats().messagesIn() > 0 && b.stats().messagesIn() > 0);
    }

    @Test
    void aTargetIsHostColonPortWithIpv6InBrackets() {
        assertEquals(new Target("::1", 6666), Target.parse("[::1]:6666"));
        assertEquals("[::1]:6666", new Target("::1", 6666).toString());
        assertThrows(IllegalArgumentException.class, () -> Target.parse("::1:6666"));
        assertThrows(IllegalArgumentException.class, () -> Target.parse("localhost"));
        assertThrows(IllegalArgumentException.class, () -> Target.parse("localhost:0"));
        assertEquals(2, run("--target", "localhost"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--target must be HOST:PORT"));
    }

    @Test
    void aBusyRefusalInJsonTextBeforeABinaryReplyIsReportedAsBusy() throws Exception {
        Server full = start(ServerConfig.builder().port(0).maxConnections(1).build());

        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Report report = new LoadRunner(LoadOptions.builder().port(full.port()).threads(1).connections(3)
                .framing(Framing.BINARY).requests(300).duration(Duration.ofSeconds(20)).progress(false).build(),
                new PrintStream(printed, true, StandardCharsets.UTF_8)).run();

        String text = printed.toString(StandardCharsets.UTF_8);
        assertFalse(report.success(), text);
        assertEquals(2L, report.errorReplyCodes().get("busy"), text);
        assertEquals(0, report.errors().mismatched(), text);
        assertFalse(text.contains("max-header-bytes"), text);
        assertTrue(text.contains("busy"), text);
    }
}
