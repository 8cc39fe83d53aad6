package io.courier.loadtest;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CommandLineTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return LoadTestMain.execute(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void helpExplainsEveryOptionAndExitsZero() {
        assertEquals(0, run("--help"));
        String help = out.toString(StandardCharsets.UTF_8);
        for (String option : new String[] {"--host", "--port", "--threads", "--connections", "--depth", "--rate",
                "--hold", "--ping-interval", "--type", "--header-template", "--header-bytes", "--body-bytes",
                "--framing", "--duration", "--warmup", "--requests", "--ramp-up", "--grace", "--connect-timeout",
                "--source-addresses", "--json", "--hgrm", "--quiet"}) {
            assertTrue(help.contains(option), option);
        }
    }

    @Test
    void aWrongCommandLineExitsTwo() {
        assertEquals(2, run("--connections", "many"));
        assertEquals(2, run("--no-such-option"));
        assertEquals(2, run("--framing", "morse"));
        assertEquals(2, run("--duration", "soon"));
        assertEquals(2, run("--connections", "0"));
        assertEquals(2, run("--header-template", "[1]"));
        assertEquals(2, run("--header-template", "{\"id\":1}"));
        assertEquals(2, run("--hold", "10", "--rate", "100"));
        assertEquals(2, run("--port", "70000"));
        String errors = err.toString(StandardCharsets.UTF_8);
        assertTrue(errors.contains("--framing must be binary or text"), errors);
        assertTrue(errors.contains("--port must be 1..65535"), errors);
    }

    @Test
    void durationsAsPeopleWriteThem() {
        assertEquals(Duration.ofSeconds(10), Durations.parse("10s"));
        assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
        assertEquals(Duration.ofMillis(1500), Durations.parse("1.5s"));
        assertEquals(Duration.ofMinutes(2), Durations.parse("2m"));
        assertEquals(Duration.ofHours(1), Durations.parse("1h"));
        assertEquals(Duration.ofSeconds(3), Durations.parse("3"));
        assertEquals(Duration.ofSeconds(7), Durations.parse("PT7S"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("-1s"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("ten seconds"));
    }

    @Test
    void theModeFollowsFromTheOptions() {
        assertEquals(Mode.CLOSED, LoadOptions.builder().build().mode());
        assertEquals(Mode.OPEN, LoadOptions.builder().rate(100).build().mode());
        LoadOptions hold = LoadOptions.builder().hold(500).build();
        assertEquals(Mode.HOLD, hold.mode());
        assertEquals(500, hold.connections());
        assertEquals("ping", hold.type());
    }

    @Test
    void quotasShareTheRequestsAmongConnections() {
        long total = 0;
        for (int i = 0; i < 7; i++) {
            long quota = ClientThread.quota(100, 7, i);
            assertTrue(quota == 14 || quota == 15, "quota " + quota);
            total += quota;
        }
        assertEquals(100, total);
        assertEquals(Long.MAX_VALUE, ClientThread.quota(0, 7, 3));
    }
}
