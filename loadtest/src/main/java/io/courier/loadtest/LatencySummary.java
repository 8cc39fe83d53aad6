package io.courier.loadtest;

import org.HdrHistogram.Histogram;

/** Latency percentiles of a run, in microseconds (the histogram records nanoseconds). */
public record LatencySummary(double p50, double p90, double p99, double p999, double max, double mean,
                             long count) {

    static LatencySummary of(Histogram nanos) {
        if (nanos.getTotalCount() == 0) {
            return new LatencySummary(0, 0, 0, 0, 0, 0, 0);
        }
        return new LatencySummary(
                micros(nanos.getValueAtPercentile(50)),
                micros(nanos.getValueAtPercentile(90)),
                micros(nanos.getValueAtPercentile(99)),
                micros(nanos.getValueAtPercentile(99.9)),
                micros(nanos.getMaxValue()),
                Math.round(nanos.getMean()) / 1000.0,
                nanos.getTotalCount());
    }

    private static double micros(long nanos) {
        return nanos / 1000.0;
    }
}
