package io.courier.loadtest;

/**
 * One second of a run, as the progress line shows it: correct replies per second and the latency percentiles of
 * that second, errors so far and connections held. The CSV and HTML reports plot these over time.
 *
 * @param elapsedSeconds since the start of the run (ramp-up included)
 * @param measured       whether the whole second lies in the measured period (after ramp-up and warm-up)
 */
public record Interval(double elapsedSeconds, boolean measured, long repliesPerSecond, double p50Micros,
                       double p99Micros, long errors, long held) {
}
