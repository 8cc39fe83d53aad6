package io.courier.server.ops;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * deploy/courier.service as systemd itself judges it: {@code systemd-analyze verify} without a single warning, and
 * {@code systemd-analyze security} at 3.0 or better. Skipped, saying so, where systemd-analyze is not installed.
 * What the unit must say for the server to work under it is checked everywhere.
 */
class SystemdUnitTest {
    static final Path UNIT = Path.of("..", "deploy", "courier.service").toAbsolutePath().normalize();
    private static final double WORST_SCORE = 3.0;
    private static final Pattern SCORE = Pattern.compile("Overall exposure level for \\S+: (\\d+\\.\\d+) (\\w+)");

    @Test
    void verifyPrintsNothing() throws Exception {
        Path analyze = Tools.require("systemd-analyze", "apt-get install systemd");
        Tools.Run verify = Tools.run(null, analyze.toString(), "verify", UNIT.toString());
        assertEquals(0, verify.exitCode(), verify.output());
        assertEquals("", verify.output().strip(), "systemd-analyze verify must print no warning at all");
    }

    @Test
    void securityScoreIsOkAtMost3() throws Exception {
        Path analyze = Tools.require("systemd-analyze", "apt-get install systemd");
        Tools.Run security = Tools.run(null, analyze.toString(), "security", "--offline=true", UNIT.toString());
        Matcher score = SCORE.matcher(security.output());
        assertTrue(score.find(), security.output());
        double exposure = Double.parseDouble(score.group(1));
        System.out.println("systemd-analyze security --offline=true deploy/courier.service: " + score.group(1)
                + " " + score.group(2));
        assertTrue(exposure <= WORST_SCORE, "exposure " + exposure + " is worse than " + WORST_SCORE + ":\n"
                + security.output());
    }

    @Test
    void theUnitGivesTheServerWhatItNeeds() throws Exception {
        List<String> lines = Files.readAllLines(UNIT, StandardCharsets.UTF_8);
        // Config errors (exit 2) are not restarted; JAVA_OPTS is one assignment (unquoted, systemd splits it).
        assertTrue(lines.contains("RestartPreventExitStatus=2"), "RestartPreventExitStatus=2");
        assertTrue(lines.stream().anyMatch(l -> l.matches("Environment=\"JAVA_OPTS=[^\"]+\"")), "quoted JAVA_OPTS");
        // The directories it writes: the Unix socket, the log, the files (the working directory).
        for (String line : new String[] {"RuntimeDirectory=courier", "LogsDirectory=courier",
                "StateDirectory=courier", "WorkingDirectory=/var/lib/courier", "User=courier",
                "Documentation=file:///opt/courier/README.md"}) {
            assertTrue(lines.contains(line), "the unit lacks " + line);
        }
        String execStart = InstallScriptIT.execStart(lines);
        assertTrue(execStart.contains(" -jar /opt/courier/server.jar --config /etc/courier/server.json "
                + "--log-dir /var/log/courier"), execStart);
        // The JIT writes code: a unit that forbids it cannot run a JVM.
        assertTrue(lines.stream().noneMatch(l -> l.startsWith("MemoryDenyWriteExecute=true")));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("RestrictAddressFamilies=") && l.contains("AF_UNIX")
                && l.contains("AF_INET6")), "the listeners' address families");
    }
}
