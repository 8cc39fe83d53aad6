package io.courier.server.config;

import io.courier.server.support.TestServers;
import io.courier.server.support.JarProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The packaged jar's command line: exit codes, the one-sentence error on stderr, --help. */
@Timeout(60)
class ConfigCommandLineIT {
    private static final Duration EXIT = Duration.ofSeconds(20);

    @Test
    void portOutOfRangeExitsTwoWithOneSentenceOnStderrAndListensNowhere() throws Exception {
        try (JarProcess jar = JarProcess.start("--port", "70000")) {
            assertEquals(2, jar.awaitExit(EXIT), jar.describe());
            assertEquals("courier: --port must be 0..65535, got 70000", jar.stderr());
            assertEquals("", jar.stdout(), "nothing is logged, nothing listens");
        }
    }

    @Test
    void invalidValueNextToAGoodPortLeavesThatPortClosed() throws Exception {
        int port = TestServers.freePort();
        try (JarProcess jar = JarProcess.start("--port", String.valueOf(port), "--max-connections", "0")) {
            assertEquals(2, jar.awaitExit(EXIT), jar.describe());
            assertEquals("courier: --max-connections must be 1 or more, got 0", jar.stderr());
            assertFalse(jar.stdout().contains("Listening"), jar.stdout());
        }
        assertThrows(ConnectException.class, () -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
            }
        });
    }

    @Test
    void badEnvironmentVariableExitsTwoNamingIt() throws Exception {
        try (JarProcess jar = JarProcess.start(Map.of("COURIER_PORT", "70000"), "--port", "0", "--log-level", "off")) {
            // The flag would win, but every source is checked: a wrong variable is still an error.
            assertEquals(2, jar.awaitExit(EXIT), jar.describe());
            assertEquals("courier: COURIER_PORT: port must be 0..65535, got 70000", jar.stderr());
        }
    }

    @Test
    void unknownFlagExitsTwo() throws Exception {
        try (JarProcess jar = JarProcess.start("--prot", "7000")) {
            assertEquals(2, jar.awaitExit(EXIT), jar.describe());
            assertEquals("courier: unknown option --prot; see --help for the options", jar.stderr());
        }
    }

    @Test
    void helpExitsZeroAndListsEveryOption() throws Exception {
        try (JarProcess jar = JarProcess.start("--help")) {
            assertEquals(0, jar.awaitExit(EXIT), jar.describe());
            String help = jar.stdout();
            for (Option option : Options.ALL) {
                assertTrue(help.contains("  " + option.flag() + " "), "--help lacks " + option.flag() + ":\n" + help);
            }
            assertTrue(help.contains("--config FILE"), help);
            assertTrue(help.contains("Exit codes"), help);
            assertEquals("", jar.stderr());
        }
    }

    @Test
    void portAlreadyInUseExitsOne() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", 0));
            try (JarProcess jar = JarProcess.start("--port", String.valueOf(taken.getLocalPort()))) {
                assertEquals(1, jar.awaitExit(EXIT), jar.describe());
                assertTrue(jar.stdout().contains("Cannot start: cannot listen on tcp:127.0.0.1:"
                        + taken.getLocalPort()), jar.describe());
            }
        }
    }
}
