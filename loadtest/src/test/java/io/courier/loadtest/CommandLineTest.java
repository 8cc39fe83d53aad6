package io.courier.loadtest;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
                "--source-addresses", "--json", "--hgrm", "--csv", "--html", "--target", "--quiet", "--fanout-members",
                "--publishers", "--publisher-target", "--room", "--text-bytes", "--new-connections"}) {
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
    void durationsAndSizesReadAsTheServerReadsThem() {
        assertEquals(2, run("--duration", "3"));
        assertEquals(2, run("--warmup", "-1s"));
        assertEquals(2, run("--body-bytes", "lots"));
        String errors = err.toString(StandardCharsets.UTF_8);
        assertTrue(errors.contains("--duration must be a duration such as 500ms, 5s or 2m (a number needs a unit: "
                + "3ms or 3s), got '3'"), errors);
        assertTrue(errors.contains("--body-bytes"), errors);
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
