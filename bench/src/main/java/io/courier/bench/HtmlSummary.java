package io.courier.bench;

import java.util.List;
import java.util.Locale;

/**
 * {@code results.html}: the suite's run as one self-contained page (inline SVG and CSS, no script, nothing fetched):
 * the warnings, then per scenario a bar chart of the medians of its headline metrics for each server, and links to
 * each run's own page, which the load tool drew ({@code raw/rN-SCENARIO-SERVER.html}: percentile curve, throughput
 * and p99 over time).
 */
final class HtmlSummary {
    private static final int BAR_HEIGHT = 26;
    private static final int LABEL_WIDTH = 90;
    private static final int CHART_WIDTH = 640;

    private HtmlSummary() {
    }

    static String render(Results results) {
        BenchConfig config = results.config();
        StringBuilder html = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                + "<title>Courier benchmark results</title><style>" + STYLE + "</style></head><body>\n"
                + "<h1>Courier benchmark results</h1>\n<p>Started " + escape(results.started()) + "; "
                + config.rounds() + " round(s); medians over the rounds. Machine: " + results.machine().cpus()
                + " CPUs, " + escape(results.machine().cpuModel()) + ". Full tables: results.md.</p>\n");
        List<String> warnings = RunWarnings.of(results);
        if (!warnings.isEmpty()) {
            html.append("<ul class=\"warnings\">");
            warnings.forEach(w -> html.append("<li>").append(escape(w)).append("</li>"));
            html.append("</ul>\n");
        }
        for (Scenario scenario : results.scenariosRun()) {
            html.append("<h2>").append(escape(scenario.label(config))).append("</h2><p>")
                    .append(escape(scenario.description(config))).append("</p>\n");
            for (Metric metric : headline(scenario)) {
                html.append(bars(results, scenario, metric));
            }
            html.append("<p class=\"runs\">Each run: ");
            for (Measurement run : results.runs()) {
                if (run.scenario() == scenario && run.reportFile() != null) {
                    String page = run.reportFile().replaceFirst("\\.json$", ".html");
                    html.append("<a href=\"").append(escape(page)).append("\">").append(run.server().label())
                            .append(" r").append(run.round()).append("</a> ");
                }
            }
            html.append("</p>\n");
        }
        return html.append("</body></html>\n").toString();
    }

    static List<Metric> headline(Scenario scenario) {
        return scenario.kind() == Scenario.Kind.MEMORY ? List.of(Metric.HEAP_PER_CONNECTION, Metric.RSS_PER_CONNECTION)
                : List.of(Metric.THROUGHPUT, Metric.P99);
    }

    /** One horizontal bar per server, the median written at its end. */
    static String bars(Results results, Scenario scenario, Metric metric) {
        List<ServerKind> servers = results.serversFor(scenario);
        double max = servers.stream().mapToDouble(s -> results.median(scenario, s, metric))
                .filter(v -> !Double.isNaN(v)).max().orElse(1);
        int height = 24 + servers.size() * BAR_HEIGHT;
        StringBuilder svg = new StringBuilder(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\""
                + " viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"%s\">%n"
                + "<text x=\"0\" y=\"15\" class=\"title\">%s %s</text>%n", CHART_WIDTH, height, CHART_WIDTH, height,
                escape(metric.title()), escape(metric.title()), metric.higherIsBetter() ? "↑" : "↓"));
        double room = CHART_WIDTH - LABEL_WIDTH - 110;
        for (int i = 0; i < servers.size(); i++) {
            double value = results.median(scenario, servers.get(i), metric);
            double width = Double.isNaN(value) || max <= 0 ? 0 : value / max * room;
            int y = 24 + i * BAR_HEIGHT;
            svg.append(String.format(Locale.ROOT, "<text x=\"0\" y=\"%d\" class=\"label\">%s</text>"
                            + "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" class=\"bar %s\"/>"
                            + "<text x=\"%.1f\" y=\"%d\" class=\"value\">%s</text>%n", y + 16,
                    servers.get(i).label(), LABEL_WIDTH, y + 2, width, BAR_HEIGHT - 6, servers.get(i).label(),
                    LABEL_WIDTH + width + 6, y + 16, Double.isNaN(value) ? "not measured"
                            : MarkdownReport.number(value)));
        }
        return svg.append("</svg>\n").toString();
    }

    static String escape(String text) {
        return text == null ? "" : text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("\"", "&quot;");
    }

    private static final String STYLE = "body{font-family:system-ui,sans-serif;margin:1.5em;color:#222;"
            + "max-width:700px}h1{font-size:1.3em}h2{font-size:1.1em;margin-top:1.6em}svg{display:block;"
            + "margin:.6em 0;max-width:100%;height:auto}.title{font-weight:600;font-size:13px}.label,.value{"
            + "font-size:12px}.bar{fill:#8b949e}.bar.courier{fill:#1f6feb}.warnings{background:#fff4d6;"
            + "padding:.6em 1.6em}.runs{font-size:.85em}";
}
