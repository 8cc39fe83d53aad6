package io.courier.server.ops;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** External tools some tests run (promtool, systemd-analyze) when the machine has them. */
final class Tools {
    /** What a tool printed (stdout and stderr together) and its exit code. */
    record Run(int exitCode, String output) {
    }

    private Tools() {
    }

    /**
     * The tool's path, or the test is skipped, saying so on the build output as well as in the report: a skip
     * must never look like a pass.
     */
    static Path require(String tool, String install) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path candidate = Path.of(dir, tool);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        String why = "SKIPPED: " + tool + " is not installed (" + install + "); this check did not run";
        System.err.println(why);
        assumeTrue(false, why);
        return null;
    }

    static Run run(Path stdin, String... command) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>(List.of(command));
        ProcessBuilder builder = new ProcessBuilder(line).redirectErrorStream(true);
        if (stdin != null) {
            builder.redirectInput(stdin.toFile());
        }
        Path output = Files.createTempFile("courier-tool-", ".out");
        try {
            Process process = builder.redirectOutput(output.toFile()).start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish within 120 s");
            }
            return new Run(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /** {@code kill SIGNAL PID}: what systemctl reload (-HUP) or stop (-TERM) sends. */
    static void kill(String signal, long pid) throws IOException, InterruptedException {
        Run kill = run(null, "kill", signal, Long.toString(pid));
        if (kill.exitCode() != 0) {
            throw new AssertionError("kill " + signal + " " + pid + " failed: " + kill.output());
        }
    }
}
