package io.courier.cli;

import io.courier.protocol.client.TransferProgress;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A transfer's progress on standard error: on a terminal one line redrawn in place (at most ten times a second),
 * otherwise a plain line at every tenth of the way, so logs and pipes get a few readable lines.
 */
final class ProgressBar implements TransferProgress {
    private static final long REDRAW_NANOS = 100_000_000;

    private final PrintStream err;
    private final Terminal terminal;
    private final String verb;
    private final String label;
    private long startNanos;
    private long from;
    private long lastDrawNanos;
    private int lastTenth = -1;
    private boolean drawn;
    private boolean startedBefore;

    ProgressBar(Io io, String verb, String label) {
        this.err = io.err();
        this.terminal = io.terminal();
        this.verb = verb;
        this.label = label;
    }

    @Override
    public void started(long offset, long total) {
        end();
        if (offset > 0) {
            err.println("resuming " + label + " at " + Format.bytes(offset) + " of " + Format.bytes(total)
                    + ": the server kept that much of an earlier upload");
        } else if (startedBefore) {
            err.println("the partial upload on the server was not the start of " + label + "; sending all of it");
        }
        startedBefore = true;
        from = offset;
        startNanos = System.nanoTime();
        lastTenth = total == 0 ? 9 : (int) (offset * 10 / total);
    }

    @Override
    public void advanced(long done, long total) {
        long now = System.nanoTime();
        if (terminal.interactive()) {
            if (done == total || now - lastDrawNanos >= REDRAW_NANOS) {
                lastDrawNanos = now;
                err.print("\r" + bar(done, total, now));
                err.flush();
                drawn = true;
            }
        } else {
            int tenth = total == 0 ? 10 : (int) (done * 10 / total);
            if (tenth > lastTenth) {
                lastTenth = tenth;
                err.println(verb + " " + label + ": " + percent(done, total) + " (" + Format.bytes(done) + " of "
                        + Format.bytes(total) + ")");
            }
        }
    }

    /** Ends the redrawn line, if any: call when the transfer is over, done or not. */
    void end() {
        if (drawn) {
            err.println();
            drawn = false;
        }
    }

    /** {@code label [=========>        ]  45%  2.3 MiB / 5.0 MiB  12.0 MiB/s}, as wide as the terminal. */
    private String bar(long done, long total, long now) {
        String numbers = String.format(Locale.ROOT, " %4s  %s / %s  %s", percent(done, total), Format.bytes(done),
                Format.bytes(total), Format.rate(done - from, now - startNanos));
        String name = label.length() > 24 ? label.substring(0, 23) + "~" : label;
        int width = Math.max(10, terminal.columns() - 1 - name.length() - 3 - numbers.length());
        int filled = total == 0 ? width : (int) (width * (double) done / total);
        StringBuilder line = new StringBuilder(name).append(" [");
        for (int i = 0; i < width; i++) {
            line.append(i < filled ? '=' : i == filled ? '>' : ' ');
        }
        line.append(']').append(numbers);
        // Pad to the full width: a shorter line must cover what the last one left behind.
        while (line.length() < terminal.columns() - 1) {
            line.append(' ');
        }
        return line.toString();
    }

    private static String percent(long done, long total) {
        return (total == 0 ? 100 : done * 100 / total) + "%";
    }
}
