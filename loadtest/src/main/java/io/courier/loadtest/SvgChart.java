package io.courier.loadtest;

import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;

/**
 * One line chart as inline SVG, with axes, a few ticks and an optional shaded band (the warm-up): no script and
 * nothing fetched, so a report page opens anywhere, offline.
 */
final class SvgChart {
    private static final int WIDTH = 720;
    private static final int HEIGHT = 260;
    private static final int LEFT = 70;
    private static final int RIGHT = 20;
    private static final int TOP = 30;
    private static final int BOTTOM = 45;
    private static final int TICKS = 5;

    /** A point of the line; x and y in the chart's own units. */
    record Point(double x, double y) {
    }

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private DoubleFunction<String> xTick = v -> number(v);
    private double shadeUntilX = Double.NaN;

    SvgChart(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    /** How x tick values are written (the percentile axis writes 99.9% for its log scale). */
    SvgChart xTicks(DoubleFunction<String> format) {
        this.xTick = format;
        return this;
    }

    /** Shades the area left of {@code x}, labelled warm-up. */
    SvgChart shadeUntil(double x) {
        this.shadeUntilX = x;
        return this;
    }

    String render(List<Point> points) {
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
                + "width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"%s\">%n", WIDTH, HEIGHT, WIDTH, HEIGHT,
                HtmlReport.escape(title)));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"18\" class=\"title\">%s</text>%n", LEFT,
                HtmlReport.escape(title)));
        if (points.isEmpty()) {
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">no data</text>%n", LEFT, HEIGHT / 2));
            return svg.append("</svg>\n").toString();
        }
        double minX = points.stream().mapToDouble(Point::x).min().orElse(0);
        double maxX = Math.max(minX + 1e-9, points.stream().mapToDouble(Point::x).max().orElse(1));
        double maxY = niceCeiling(points.stream().mapToDouble(Point::y).max().orElse(1));
        double plotW = WIDTH - LEFT - RIGHT;
        double plotH = HEIGHT - TOP - BOTTOM;
        DoubleFunction<Double> sx = x -> LEFT + (x - minX) / (maxX - minX) * plotW;
        DoubleFunction<Double> sy = y -> TOP + plotH - y / maxY * plotH;
        if (!Double.isNaN(shadeUntilX) && shadeUntilX > minX) {
            double w = Math.min(sx.apply(shadeUntilX), LEFT + plotW) - LEFT;
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%.1f\" "
                    + "class=\"shade\"/><text x=\"%d\" y=\"%d\" class=\"note\">warm-up</text>%n", LEFT, TOP, w,
                    plotH, LEFT + 4, TOP + 12));
        }
        for (int i = 0; i <= TICKS; i++) {
            double y = maxY * i / TICKS;
            double py = sy.apply(y);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" "
                    + "class=\"grid\"/><text x=\"%d\" y=\"%.1f\" class=\"tick\" text-anchor=\"end\">%s</text>%n",
                    LEFT, LEFT + plotW, py, py, LEFT - 6, py + 4, number(y)));
            double x = minX + (maxX - minX) * i / TICKS;
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" class=\"tick\" "
                    + "text-anchor=\"middle\">%s</text>%n", sx.apply(x), TOP + plotH + 16, xTick.apply(x)));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" class=\"axis\" text-anchor=\"middle\">%s"
                + "</text>%n", LEFT + plotW / 2, HEIGHT - 6, HtmlReport.escape(xLabel)));
        svg.append(String.format(Locale.ROOT, "<text x=\"14\" y=\"%.1f\" class=\"axis\" text-anchor=\"middle\" "
                + "transform=\"rotate(-90 14 %.1f)\">%s</text>%n", TOP + plotH / 2, TOP + plotH / 2,
                HtmlReport.escape(yLabel)));
        svg.append("<polyline class=\"line\" points=\"");
        for (Point p : points) {
            svg.append(String.format(Locale.ROOT, "%.1f,%.1f ", sx.apply(p.x()), sy.apply(p.y())));
        }
        svg.append("\"/>\n</svg>\n");
        return svg.toString();
    }

    /** 1, 2 or 5 times a power of ten at or above {@code value}, so the top tick is a round number. */
    static double niceCeiling(double value) {
        if (value <= 0) {
            return 1;
        }
        double power = Math.pow(10, Math.floor(Math.log10(value)));
        for (double step : new double[] {1, 2, 5, 10}) {
            if (value <= step * power) {
                return step * power;
            }
        }
        return 10 * power;
    }

    static String number(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return String.format(Locale.ROOT, "%,d", (long) value);
        }
        return String.format(Locale.ROOT, Math.abs(value) < 10 ? "%.2f" : "%.1f", value);
    }
}
