package io.courier.loadtest;

/**
 * The phases of a run on the {@link System#nanoTime()} clock: connections open over the ramp-up, then the warm-up
 * (sent and verified, but not measured), then the measured period, which ends at {@link #stopSendingNanos()} at
 * the latest (with {@code --requests}, earlier once every connection has sent its share).
 */
record Timeline(long startNanos, long rampUpNanos, long measureStartNanos, long stopSendingNanos,
                int connections) {

    static Timeline of(LoadOptions options, long startNanos) {
        long rampUp = options.rampUp().toNanos();
        long measureStart = startNanos + rampUp + options.warmup().toNanos();
        return new Timeline(startNanos, rampUp, measureStart, measureStart + options.duration().toNanos(),
                options.connections());
    }

    /** When connection {@code index} (of all the run's connections) should be opened. */
    long openAt(int index) {
        if (connections <= 1 || rampUpNanos == 0) {
            return startNanos;
        }
        return startNanos + (long) ((double) rampUpNanos * index / connections);
    }

    /** Seconds since the start, for progress lines. */
    double elapsedSeconds(long nowNanos) {
        return (nowNanos - startNanos) / 1e9;
    }
}
