package io.courier.loadtest;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code --html FILE}: the report as one self-contained page (inline SVG and CSS, no script, nothing fetched) with
 * the latency percentile curve, throughput over time and p99 over time, and the numbers behind them in tables.
 */
public final class HtmlReport {
    /** Percentiles on the curve; the x axis is log10(1 / (1 - p)), so each "nine" gets the same width. */
    static final double[] PERCENTILES = {0, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 99.95, 99.99, 99.999};

    private HtmlReport() {
    }

    public static void write(Report report, Path file) throws IOException {
        Files.writeString(file, page(report), StandardCharsets.UTF_8);
    }

    /** The whole page. */
    public static String page(Report r) {
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>Courier load test: ").append(escape(r.target())).append("</title>\n")
                .append("<style>").append(STYLE).append("</style></head><body>\n")
                .append("<h1>Load test of ").append(escape(r.target())).append("</h1>\n")
                .append("<pre class=\"summary\">").append(escape(ReportWriter.text(r))).append("</pre>\n");
        html.append(new SvgChart("Latency by percentile (measured period)", "percentile", "latency, ms")
                .xTicks(HtmlReport::percentileTick).render(percentileCurve(r.latencyNanos())));
        double warmupEnd = r.intervals().stream().filter(Interval::measured).mapToDouble(Interval::elapsedSeconds)
                .min().orElse(Double.NaN) - 1;
        html.append(new SvgChart("Throughput over time", "seconds since start", "correct replies per second")
                .shadeUntil(warmupEnd).render(series(r.intervals(), false)));
        html.append(new SvgChart("p99 latency over time (each second)", "seconds since start", "p99, ms")
                .shadeUntil(warmupEnd).render(series(r.intervals(), true)));
        html.append(percentileTable(r.latencyNanos())).append(intervalTable(r.intervals()))
                .append("</body></html>\n");
        return html.toString();
    }

    static List<SvgChart.Point> percentileCurve(Histogram nanos) {
        List<SvgChart.Point> points = new ArrayList<>();
        if (nanos.getTotalCount() == 0) {
            return points;
        }
        for (double p : PERCENTILES) {
            points.add(new SvgChart.Point(nines(p), nanos.getValueAtPercentile(p) / 1e6));
        }
        return points;
    }

    private static List<SvgChart.Point> series(List<Interval> intervals, boolean p99) {
        List<SvgChart.Point> points = new ArrayList<>();
        for (Interval i : intervals) {
            points.add(new SvgChart.Point(i.elapsedSeconds(), p99 ? i.p99Micros() / 1000.0 : i.repliesPerSecond()));
        }
        return points;
    }

    /** Percentile to its place on the axis: 0 -> 0, 90 -> 1, 99 -> 2, 99.9 -> 3. */
    static double nines(double percentile) {
        return Math.log10(100.0 / (100.0 - Math.min(percentile, 99.9999)));
    }

    private static String percentileTick(double nines) {
        double percentile = 100.0 - 100.0 / Math.pow(10, nines);
        int decimals = (int) Math.max(0, Math.ceil(nines - 1e-9) - 2); // 99.9% has one, 99.99% two
        return String.format(Locale.ROOT, "%." + decimals + "f%%", percentile);
    }

    private static String percentileTable(Histogram nanos) {
        StringBuilder t = new StringBuilder("<details><summary>Percentiles</summary><table id=\"percentiles\">"
                + "<tr><th>percentile</th><th>latency, ms</th></tr>\n");
        if (nanos.getTotalCount() > 0) {
            for (double p : PERCENTILES) {
                t.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%.3f</td></tr>%n", ReportWriter.trim(p),
                        nanos.getValueAtPercentile(p) / 1e6));
            }
        }
        return t.append("</table></details>\n").toString();
    }

    private static String intervalTable(List<Interval> intervals) {
        StringBuilder t = new StringBuilder("<details><summary>Each second</summary><table id=\"seconds\"><tr>"
                + "<th>seconds</th><th>phase</th><th>replies/s</th><th>p50, ms</th><th>p99, ms</th><th>errors</th>"
                + "<th>held</th></tr>\n");
        for (Interval i : intervals) {
            t.append(String.format(Locale.ROOT, "<tr><td>%.1f</td><td>%s</td><td>%d</td><td>%.3f</td><td>%.3f</td>"
                    + "<td>%d</td><td>%d</td></tr>%n", i.elapsedSeconds(), i.measured() ? "measured" : "warm-up",
                    i.repliesPerSecond(), i.p50Micros() / 1000.0, i.p99Micros() / 1000.0, i.errors(), i.held()));
        }
        return t.append("</table></details>\n").toString();
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static final String STYLE = "body{font-family:system-ui,sans-serif;margin:1.5em;color:#222;"
            + "max-width:760px}h1{font-size:1.3em}pre.summary{background:#f4f4f4;padding:.8em;overflow-x:auto;"
            + "font-size:.8em}svg{display:block;margin:1em 0;max-width:100%;height:auto}"
            + ".title{font-weight:600;font-size:14px}.tick{font-size:11px;fill:#555}.axis{font-size:12px}"
            + ".note{font-size:11px;fill:#777}.grid{stroke:#ddd}.line{fill:none;stroke:#1f6feb;stroke-width:2}"
            + ".shade{fill:#f0e6c8;opacity:.6}table{border-collapse:collapse;font-size:.85em}"
            + "td,th{border:1px solid #ccc;padding:2px 8px;text-align:right}";
}
