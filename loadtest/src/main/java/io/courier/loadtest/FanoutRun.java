package io.courier.loadtest;

/**
 * What a fan-out run's publishers and members share: the room, the phases, the publishers' delivery windows, the
 * latency sampler and the error samples. Thread-safe.
 */
final class FanoutRun {
    private final String room;
    private final int textBytes;
    private final ErrorSamples samples;
    /** Set by {@link #begin} once every member has joined, before any publisher sends (so before any delivery). */
    private volatile Timeline timeline;
    private volatile DeliveryWindow[] windows;
    private volatile IntervalSampler sampler;
    private volatile long stopSendingNanos = Long.MAX_VALUE;

    FanoutRun(String room, int textBytes, ErrorSamples samples) {
        this.room = room;
        this.textBytes = textBytes;
        this.samples = samples;
    }

    /** The clock starts: warm-up, then the measured period; each publisher may have {@code window} in flight. */
    void begin(Timeline timeline, int publishers, int window, int members) {
        DeliveryWindow[] created = new DeliveryWindow[publishers];
        for (int p = 0; p < publishers; p++) {
            created[p] = new DeliveryWindow(window, members);
        }
        this.windows = created;
        this.sampler = new IntervalSampler(timeline);
        this.timeline = timeline;
        setStop(timeline.stopSendingNanos());
    }

    private synchronized void setStop(long nanos) {
        stopSendingNanos = Math.min(stopSendingNanos, nanos);
    }

    IntervalSampler sampler() { return sampler; }

    String room() { return room; }
    int textBytes() { return textBytes; }
    Timeline timeline() { return timeline; }
    DeliveryWindow window(int publisher) { return windows[publisher]; }

    /** Whether a message meant to go out at {@code sentNanos} is one of the measured ones (not warm-up). */
    boolean isMeasured(long sentNanos) {
        return sentNanos >= timeline.measureStartNanos();
    }

    /** True once sending should stop: the time is up, or a stop was requested. */
    boolean sendingOver(long now) {
        return now >= stopSendingNanos;
    }

    long stopSendingNanos() {
        return stopSendingNanos;
    }

    /** Stops the publishers now (Ctrl-C, or the setup failed). */
    synchronized void stopSending() {
        stopSendingNanos = Math.min(stopSendingNanos, System.nanoTime());
    }

    void recordLatency(long sentNanos, long now, boolean measured) {
        sampler.record(now - sentNanos, measured);
    }

    void sample(String text) {
        samples.add(text);
    }
}
