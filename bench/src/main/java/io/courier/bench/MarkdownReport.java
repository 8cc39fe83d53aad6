package io.courier.bench;

import io.courier.harness.MachineInfo;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Renders {@link Results} as Markdown: the machine, then per scenario a table of medians with the ratios
 * courier/netty and courier/blocking, the runs with problems, and the raw numbers of every round.
 */
public final class MarkdownReport {
    private MarkdownReport() {
    }

    public static String render(Results results) {
        BenchConfig config = results.config();
        StringBuilder md = new StringBuilder();
        md.append("# Courier benchmark results\n\n");
        if (results.aborted() != null) {
            md.append("**The suite stopped early:** ").append(oneLine(results.aborted())).append("\n\n");
        }
        md.append("Started ").append(results.started()).append("; ").append(config.rounds())
                .append(config.rounds() == 1 ? " round" : " rounds").append(", servers alternating ")
                .append(String.join(" → ", config.servers().stream().map(ServerKind::label).toList()))
                .append(" within each round; every figure is the median over the rounds. Each server ran in its own "
                        + "JVM (`").append(String.join(" ", config.serverJvm())).append("`)");
        if (config.pin()) {
            md.append(" pinned with `taskset -c ").append(config.serverCpus())
                    .append("`, the load-test client with `taskset -c ").append(config.clientCpus()).append('`');
        } else {
            md.append(", not pinned to CPUs");
        }
        md.append(". ↑ marks a metric where higher is better, ↓ where lower is better; ratios are plain quotients"
                + " of the medians.\n\n");
        List<String> warnings = RunWarnings.of(results);
        if (!warnings.isEmpty()) {
            md.append("**Warnings** (the figures are less than they seem):\n\n");
            warnings.forEach(w -> md.append("- ").append(w).append('\n'));
            md.append('\n');
        }
        List<String> missing = missing(results);
        if (!missing.isEmpty()) {
            md.append("**Missing servers** (not installed here, so not measured): ").append(String.join("; ", missing))
                    .append("\n\n");
        }
        machine(md, results.machine());
        for (Scenario scenario : results.scenariosRun()) {
            scenario(md, results, scenario);
        }
        return md.toString();
    }

    private static void machine(StringBuilder md, MachineInfo machine) {
        md.append("## Machine\n\n| | |\n|---|---|\n");
        md.append("| CPUs (nproc) | ").append(machine.cpus()).append(" |\n");
        md.append("| CPU model | ").append(cell(machine.cpuModel())).append(" |\n");
        md.append("| memory | ").append(cell(machine.memory())).append(" |\n");
        md.append("| OS | ").append(cell(machine.os())).append(" |\n");
        md.append("| java -version | ").append(cell(machine.javaVersion())).append(" |\n\n");
    }

    private static void scenario(StringBuilder md, Results results, Scenario scenario) {
        BenchConfig config = results.config();
        List<ServerKind> servers = results.serversFor(scenario);
        List<Metric> metrics = Metric.of(scenario.kind());
        md.append("## ").append(scenario.label(config)).append(": ").append(scenario.description(config))
                .append("\n\n");
        String rateNote = scenario == Scenario.RATE_1K ? " Rate: " + results.rate() + " requests/s ("
                + results.rateSource() + ")." : "";
        if (scenario == Scenario.WIRE_FANOUT_RATE) {
            rateNote = " Rate: " + results.fanoutRate() + " deliveries/s (" + results.fanoutRateSource() + ").";
        }
        String client = scenario.wire() ? "Wire client (`io.courier.bench.wire.WireClient --protocol "
                + "courier|redis|nats`) options: `" : "Client options: `";
        md.append(client).append(String.join(" ", scenario.clientArguments(config, results.rateFor(scenario))))
                .append("`.").append(rateNote).append("\n\n");
        List<String> notApplicable = config.servers().stream().filter(s -> !scenario.appliesTo(s))
                .map(ServerKind::label).toList();
        if (!notApplicable.isEmpty()) {
            md.append("Not applicable to ").append(String.join(", ", notApplicable)).append(scenario.wire()
                    ? " (no rooms or topics)." : " (they do not speak Courier's protocol).").append("\n\n");
        }
        if (scenario == Scenario.HELD_10K) {
            md.append("Memory is measured idle and then while the client holds its connections; per connection = "
                    + "(holding - idle) / connections held. Heap is the retained heap: bytes of live objects counted "
                    + "by `jcmd PID GC.class_histogram` (its own full GC, counted inside that safepoint, so garbage "
                    + "the pings make meanwhile does not count). RSS from `/proc/PID/status`. With "
                    + "`-XX:+AlwaysPreTouch` the whole heap is resident from the start, so the RSS difference is "
                    + "memory outside the heap (thread stacks, direct buffers).\n\n");
        }
        md.append(table(scenario, results, servers, metrics));
        List<String> notes = problems(results, scenario);
        if (!notes.isEmpty()) {
            md.append("\nRuns with problems (their numbers are in the medians; judge them accordingly):\n\n");
            notes.forEach(note -> md.append("- ").append(note).append('\n'));
        }
        md.append("\n<details><summary>Raw numbers, every round</summary>\n\n");
        md.append(rawTable(results, scenario, metrics));
        md.append("\n</details>\n\n");
    }

    /** The medians table with the ratio columns; public for tests. */
    public static String table(Scenario scenario, Results results, List<ServerKind> chosen, List<Metric> metrics) {
        List<ServerKind> servers = chosen.stream().filter(scenario::appliesTo).toList();
        List<String> ratios = new ArrayList<>();
        if (servers.contains(ServerKind.COURIER)) {
            for (ServerKind peer : servers) {
                if (peer != ServerKind.COURIER) {
                    ratios.add("courier/" + peer.label());
                }
            }
        }
        List<ServerKind> best = servers.contains(ServerKind.COURIER) ? bestOf(servers) : List.of();
        if (!best.isEmpty()) {
            ratios.add("courier/best of " + String.join(",", best.stream().map(ServerKind::label).toList()));
        }
        StringBuilder md = new StringBuilder("| metric |");
        servers.forEach(server -> md.append(' ').append(server.label()).append(" |"));
        ratios.forEach(ratio -> md.append(' ').append(ratio).append(" |"));
        md.append("\n|---|");
        md.append("---:|".repeat(servers.size() + ratios.size()));
        md.append('\n');
        for (Metric metric : metrics) {
            md.append("| ").append(metric.title()).append(metric.higherIsBetter() ? " ↑" : " ↓").append(" |");
            for (ServerKind server : servers) {
                md.append(' ').append(number(results.median(scenario, server, metric))).append(" |");
            }
            if (servers.contains(ServerKind.COURIER)) {
                double courier = results.median(scenario, ServerKind.COURIER, metric);
                for (ServerKind peer : servers) {
                    if (peer != ServerKind.COURIER) {
                        md.append(' ').append(ratio(Stats.ratio(courier, results.median(scenario, peer, metric))))
                                .append(" |");
                    }
                }
                if (!best.isEmpty()) {
                    md.append(' ').append(ratio(Stats.ratio(courier, best(results, scenario, best, metric))))
                            .append(" |");
                }
            }
            md.append('\n');
        }
        return md.toString();
    }

    /** Redis and NATS among {@code servers}: the servers Courier is compared with as one, by the better of them. */
    static List<ServerKind> bestOf(List<ServerKind> servers) {
        List<ServerKind> natives = servers.stream().filter(ServerKind::isNative).toList();
        return natives.size() >= 2 ? natives : List.of();
    }

    /** The better median of {@code among} by the metric's direction (NaN when none was measured). */
    static double best(Results results, Scenario scenario, List<ServerKind> among, Metric metric) {
        double best = Double.NaN;
        for (ServerKind server : among) {
            double value = results.median(scenario, server, metric);
            if (Double.isFinite(value) && (Double.isNaN(best)
                    || (metric.higherIsBetter() ? value > best : value < best))) {
                best = value;
            }
        }
        return best;
    }

    /** Servers that were selected but are not installed, with what to install. */
    static List<String> missing(Results results) {
        return results.config().servers().stream().filter(ServerKind::isNative)
                .filter(server -> results.runs().stream().anyMatch(run -> run.server() == server
                        && run.problem() != null && run.problem().startsWith("missing:")))
                .map(server -> server.label() + " (apt-get install " + server.program() + ")").toList();
    }

    private static String rawTable(Results results, Scenario scenario, List<Metric> metrics) {
        StringBuilder md = new StringBuilder("| server | round |");
        metrics.forEach(metric -> md.append(' ').append(metric.title()).append(" |"));
        md.append(" client exit | report |\n|---|---:|").append("---:|".repeat(metrics.size())).append("---:|---|\n");
        for (Measurement run : results.runs()) {
            if (run.scenario() != scenario) {
                continue;
            }
            md.append("| ").append(run.server().label()).append(" | ").append(run.round()).append(" |");
            metrics.forEach(metric -> md.append(' ').append(number(run.value(metric))).append(" |"));
            md.append(' ').append(run.clientExit()).append(" | ")
                    .append(run.reportFile() == null ? "–" : "`" + run.reportFile() + "`").append(" |\n");
        }
        return md.toString();
    }

    private static List<String> problems(Results results, Scenario scenario) {
        List<String> notes = new ArrayList<>();
        for (Measurement run : results.runs()) {
            if (run.scenario() == scenario && !run.clean()) {
                String why = run.problem() != null ? oneLine(run.problem())
                        : "the client exited with " + run.clientExit() + " (some replies lost or wrong)";
                notes.add(run.server().label() + ", round " + run.round() + ": " + why);
            }
        }
        return notes;
    }

    /** Whole numbers and anything from 1,000 up without decimals (grouped); else one decimal, two below 10. */
    public static String number(double value) {
        if (!Double.isFinite(value)) {
            return "–";
        }
        double magnitude = Math.abs(value);
        if (magnitude >= 1000 || value == Math.rint(value)) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        if (magnitude >= 10) {
            return String.format(Locale.ROOT, "%.1f", value);
        }
        return String.format(Locale.ROOT, "%.2f", value);
    }

    /** A ratio as {@code 1.23×}, or an en dash. */
    public static String ratio(double value) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%.2f×", value) : "–";
    }

    private static String cell(String text) {
        return oneLine(text).replace("|", "\\|");
    }

    private static String oneLine(String text) {
        String first = text.strip().lines().findFirst().orElse("");
        return first.length() > 300 ? first.substring(0, 300) + "…" : first;
    }
}
