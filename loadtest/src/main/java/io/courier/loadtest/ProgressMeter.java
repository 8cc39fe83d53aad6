package io.courier.loadtest;

import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The once-a-second progress line, in the exact shape other programs parse:
 * {@code [  3.0s] rps=12345 p50=0.123ms p99=1.234ms errors=0 open=64 held=64}. Rates and percentiles are for the
 * interval since the previous line (correct replies, warm-up included); errors are the total so far; open counts
 * sockets open (connecting or established), held those established.
 */
final class ProgressMeter {
    private final List<ClientThread> threads;
    private final List<Counters> counters;
    private final Timeline timeline;
    private final Histogram interval = new Histogram(3);
    private final Histogram[] recycled;
    private long previousReplies;
    private long previousNanos;
    private long peakHeld;
    private final List<Interval> intervals = new ArrayList<>();

    ProgressMeter(List<ClientThread> threads, List<Counters> counters, Timeline timeline) {
        this.threads = threads;
        this.counters = counters;
        this.timeline = timeline;
        this.previousNanos = timeline.startNanos();
        this.recycled = new Histogram[threads.size()];
    }

    /** The line for the interval ending at {@code now}. */
    String line(long now) {
        interval.reset();
        for (int i = 0; i < recycled.length; i++) {
            recycled[i] = threads.get(i).intervalHistogram(recycled[i]); // each recorder takes back only its own
            interval.add(recycled[i]);
        }
        long replies = Counters.sum(counters, Counter.REPLIES_OK) + Counters.sum(counters, Counter.WARMUP_OK);
        double seconds = Math.max(1e-9, (now - previousNanos) / 1e9);
        long rps = Math.round((replies - previousReplies) / seconds);
        boolean measured = previousNanos >= timeline.measureStartNanos(); // the whole second after the warm-up
        previousReplies = replies;
        previousNanos = now;
        long open = Counters.sum(counters, Counter.OPEN); // before held: a connection stops being held first
        long held = observeHeld();
        Interval second = new Interval(timeline.elapsedSeconds(now), measured, rps,
                interval.getValueAtPercentile(50) / 1000.0, interval.getValueAtPercentile(99) / 1000.0,
                Counters.sumErrors(counters), held);
        intervals.add(second);
        return format(second.elapsedSeconds(), rps, second.p50Micros(), second.p99Micros(), second.errors(), open,
                held);
    }

    /** Every second so far, in order. */
    List<Interval> intervals() {
        return List.copyOf(intervals);
    }

    static String format(double elapsedSeconds, long rps, double p50Micros, double p99Micros, long errors, long open,
                         long held) {
        return String.format(Locale.ROOT, "[%5.1fs] rps=%d p50=%.3fms p99=%.3fms errors=%d open=%d held=%d",
                elapsedSeconds, rps, p50Micros / 1000.0, p99Micros / 1000.0, errors, open, held);
    }

    /** Samples the number of established connections and returns it, keeping the peak. */
    long observeHeld() {
        long held = Counters.sum(counters, Counter.HELD);
        peakHeld = Math.max(peakHeld, held);
        return held;
    }

    long peakHeld() {
        return peakHeld;
    }
}
