package io.courier.soak;

import com.fasterxml.jackson.databind.JsonNode;
import io.courier.protocol.units.Quantities;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Writes a {@link SoakOutcome} as Markdown ({@code results.md}). Pure formatting. */
final class SoakReport {
    private static final double MIB = 1024.0 * 1024.0;

    private SoakReport() {
    }

    static String markdown(SoakOutcome o) {
        StringBuilder md = new StringBuilder();
        SoakConfig c = o.config();
        md.append("# Courier soak results\n\n");
        md.append(String.format(Locale.ROOT, "**%s**: %s\n\n", o.passed() ? "PASSED" : "FAILED", summary(o)));
        md.append("- Started: ").append(o.started()).append('\n');
        md.append(String.format(Locale.ROOT, "- Duration: %s asked, %.0f s measured (warm-up %s left out of the "
                + "trends)%n", Quantities.format(c.duration()), o.measuredSeconds(), Quantities.format(c.warmup())));
        md.append("- Command: `").append(c.mavenCommand()).append("`\n");
        md.append("- Server: `").append(String.join(" ", o.serverCommand())).append("`\n");
        if (o.machine() != null) {
            md.append(String.format(Locale.ROOT, "- Machine: %d CPUs (%s), %s, %s; %s%n", o.machine().cpus(),
                    o.machine().cpuModel(), o.machine().memory(), o.machine().os(), o.machine().javaVersion()));
        }
        md.append(String.format(Locale.ROOT, "- Load: echo %d+%d connections x depth %d (%d B bodies), %d file "
                        + "worker(s) (files up to %d KiB), %d room members saying every %s, a hostile client every "
                        + "%s (at most %d at once); samples every %s%n", c.echoConnections(),
                Math.max(1, c.echoConnections() / 2), c.echoDepth(), c.echoBodyBytes(), c.fileWorkers(),
                c.fileMaxBytes() / 1024, c.roomMembers(), Quantities.format(c.sayInterval()),
                Quantities.format(c.hostileInterval()), c.hostileConcurrency(), Quantities.format(c.sampleInterval())));
        if (o.failure() != null) {
            md.append("\n**The run broke off:** ").append(o.failure()).append('\n');
        }

        md.append("\n## Checks\n\n| check | result | figures |\n|---|---|---|\n");
        for (Check check : o.checks()) {
            md.append("| ").append(check.name()).append(" | ").append(check.passed() ? "pass" : "**FAIL**")
                    .append(" | ").append(cell(check.detail())).append(" |\n");
        }

        md.append("\n## Well-behaved clients\n\n| workload | checked ok | lost or wrong | figures |\n|---|---|---|---|\n");
        for (Workload w : o.workloads()) {
            md.append("| ").append(w.name()).append(" | ").append(w.operations()).append(" | ").append(w.problems())
                    .append(" | ").append(cell(w.detail())).append(" |\n");
        }
        for (Workload w : o.workloads()) {
            for (String sample : w.samples()) {
                md.append("- ").append(w.name()).append(": ").append(cell(sample)).append('\n');
            }
        }

        md.append("\n## Hostile clients\n\n| kind | started | not as promised | what they saw |\n|---|---|---|---|\n");
        for (HostileSummary h : o.hostiles()) {
            md.append("| ").append(h.kind()).append(" | ").append(h.started()).append(" | ").append(h.unexpected())
                    .append(" | ").append(cell(outcomes(h.outcomes()))).append(" |\n");
        }
        md.append(String.format(Locale.ROOT, "%n%d start(s) skipped while %d hostile clients were still running.%n",
                o.hostileSkipped(), c.hostileConcurrency()));
        for (HostileSummary h : o.hostiles()) {
            for (String sample : h.samples()) {
                md.append("- ").append(h.kind()).append(": ").append(cell(sample)).append('\n');
            }
        }

        md.append(String.format(Locale.ROOT, "%n## Server samples%n%nEach row: the bytes of live objects after a "
                + "full GC (the total of `jcmd PID GC.class_histogram`, which collects and counts in one step; the "
                + "smallest of %d tries half a second apart), then RSS, `/proc/PID/fd` entries and the `stats` "
                + "reply.%n%n", c.gcSamples()));
        md.append("| t (s) | live heap after GC (MiB) | RSS (MiB) | fds | open connections | fds besides connections | "
                + "loop lag last (ms) | loop lag max (ms) |\n|---|---|---|---|---|---|---|---|\n");
        row(md, "idle, before", o.idleBefore());
        for (Sample s : o.samples()) {
            row(md, String.format(Locale.ROOT, "%.0f%s", s.seconds(),
                    s.seconds() < c.warmup().toMillis() / 1000.0 ? " (warm-up)" : ""), s);
        }
        row(md, "idle, after", o.idleAfter());

        md.append("\n## Server counters at the end\n\n");
        JsonNode stats = o.finalStats();
        if (stats == null) {
            md.append("(no final stats reply)\n");
        } else {
            md.append(String.format(Locale.ROOT, "- connections: %s total, %s open, %s rejected%n",
                    stats.path("connections").path("total"), stats.path("connections").path("open"),
                    stats.path("connections").path("rejected")));
            md.append(String.format(Locale.ROOT, "- messages: %s in, %s out; bytes: %.1f MiB in, %.1f MiB out%n",
                    stats.path("messages").path("in"), stats.path("messages").path("out"),
                    stats.path("bytes").path("in").asDouble() / MIB, stats.path("bytes").path("out").asDouble() / MIB));
            md.append("- closes: ").append(nonZero(stats.path("closes"))).append('\n');
            md.append("- errors: ").append(nonZero(stats.path("errors"))).append('\n');
        }
        md.append(String.format(Locale.ROOT, "- server log: %d WARN, %d ERROR line(s); exit code %d after SIGTERM%n",
                o.serverWarnLines(), o.serverErrorLines(), o.serverExitCode()));
        return md.toString();
    }

    private static String summary(SoakOutcome o) {
        long passed = o.checks().stream().filter(Check::passed).count();
        return passed + " of " + o.checks().size() + " checks passed";
    }

    private static void row(StringBuilder md, String label, Sample s) {
        if (s == null) {
            md.append("| ").append(label).append(" | (not taken) | | | | | | |\n");
            return;
        }
        md.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %d | %d | %d | %.1f | %.1f |%n", label,
                s.heapUsedBytes() / MIB, s.rssBytes() / MIB, s.fds(), s.connectionsOpen(), s.fdsBesidesConnections(),
                s.lagLastMillis(), s.lagMaxMillis()));
    }

    static String outcomes(Map<String, Long> outcomes) {
        StringBuilder text = new StringBuilder();
        new TreeMap<>(outcomes).forEach((outcome, count) -> text.append(text.length() == 0 ? "" : "; ").append(count).append(" x ")
                .append(outcome));
        return text.length() == 0 ? "-" : text.toString();
    }

    /** The fields of a counter object that are not zero, as {@code name n, name n}. */
    static String nonZero(JsonNode counters) {
        StringBuilder text = new StringBuilder();
        counters.properties().forEach(field -> {
            if (field.getValue().asLong() != 0) {
                text.append(text.length() == 0 ? "" : ", ").append(field.getKey()).append(' ')
                        .append(field.getValue().asLong());
            }
        });
        return text.length() == 0 ? "none" : text.toString();
    }

    /** Text safe inside a Markdown table cell. */
    static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
