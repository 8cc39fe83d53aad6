package io.courier.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Whether a person is at a terminal, and how wide it is. Decides between a redrawn progress bar and plain lines,
 * and whether chat reads typed lines or a stream of them.
 *
 * @param interactive standard input and output are a terminal
 * @param columns     its width in characters
 */
public record Terminal(boolean interactive, int columns) {
    /** Not a terminal: pipes, files, tests. */
    public static final Terminal NONE = new Terminal(false, 80);

    /** The terminal of this process: {@code System.console()} exists only when stdin and stdout are terminals. */
    public static Terminal detect() {
        if (System.console() == null) {
            return NONE;
        }
        return new Terminal(true, terminalColumns());
    }

    private static int terminalColumns() {
        String fromEnvironment = System.getenv("COLUMNS");
        if (fromEnvironment != null && fromEnvironment.matches("\\d{1,4}")) {
            return Math.max(40, Integer.parseInt(fromEnvironment));
        }
        // Shells rarely export COLUMNS; stty asks the terminal itself. Anything unexpected: the classic 80.
        try {
            Process stty = new ProcessBuilder("sh", "-c", "stty size < /dev/tty").redirectErrorStream(true).start();
            String size = new String(stty.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            if (stty.waitFor(2, TimeUnit.SECONDS) && size.matches("\\d+ \\d+")) {
                return Math.max(40, Integer.parseInt(size.split(" ")[1]));
            }
        } catch (IOException e) {
            // no sh or no stty: keep the default
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 80;
    }
}
