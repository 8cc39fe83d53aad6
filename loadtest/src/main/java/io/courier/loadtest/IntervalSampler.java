package io.courier.loadtest;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Latencies and completions recorded from many threads at once (the fan-out members' readers, the connect
 * workers), turned into the once-a-second progress line and {@link Interval}s, and the measured histogram at the
 * end. The NIO modes keep one recorder per client thread instead ({@link ProgressMeter}).
 */
final class IntervalSampler {
    private final Recorder interval = new Recorder(3);
    private final Recorder measured = new Recorder(3);
    private final LongAdder completions = new LongAdder();
    private final Timeline timeline;
    private final List<Interval> intervals = new ArrayList<>();
    private Histogram recycled;
    private long previousCount;
    private long previousNanos;
    private long peakHeld;

    IntervalSampler(Timeline timeline) {
        this.timeline = timeline;
        this.previousNanos = timeline.startNanos();
    }

    /** One completion (a delivery, a connection) and its latency; safe from any thread. */
    void record(long latencyNanos, boolean inMeasuredPeriod) {
        long value = Math.max(0, latencyNanos);
        interval.recordValue(value);
        if (inMeasuredPeriod) {
            measured.recordValue(value);
        }
        completions.increment();
    }

    /** The progress line for the second ending at {@code now}; from one thread (the runner's). */
    String line(long now, long errors, long open, long held) {
        recycled = interval.getIntervalHistogram(recycled);
        long count = completions.sum();
        double seconds = Math.max(1e-9, (now - previousNanos) / 1e9);
        long perSecond = Math.round((count - previousCount) / seconds);
        boolean inMeasured = previousNanos >= timeline.measureStartNanos();
        previousCount = count;
        previousNanos = now;
        peakHeld = Math.max(peakHeld, held);
        Interval second = new Interval(timeline.elapsedSeconds(now), inMeasured, perSecond,
                recycled.getValueAtPercentile(50) / 1000.0, recycled.getValueAtPercentile(99) / 1000.0, errors, held);
        intervals.add(second);
        return ProgressMeter.format(second.elapsedSeconds(), perSecond, second.p50Micros(), second.p99Micros(),
                errors, open, held);
    }

    List<Interval> intervals() {
        return List.copyOf(intervals);
    }

    long peakHeld() {
        return peakHeld;
    }

    /** The measured latencies (nanoseconds); call once, at the end. */
    Histogram measuredHistogram() {
        Histogram all = new Histogram(3);
        all.add(measured.getIntervalHistogram());
        return all;
    }
}
