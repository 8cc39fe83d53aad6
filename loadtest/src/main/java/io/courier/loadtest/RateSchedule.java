package io.courier.loadtest;

/**
 * The intended send times of one connection in an open loop: {@code origin + k * period} for k = 0, 1, 2, ...
 *
 * <p>With a total rate R over C connections, each connection sends every C/R seconds and connection i is offset by
 * i/R, so the requests of all connections together are evenly spaced 1/R apart. A request's latency counts from
 * its intended time, never from when it actually went out: a connection that could not send (the server stopped
 * reading) still owes the slots that passed, and sends them later with their original times.
 */
final class RateSchedule {
    private final long originNanos;
    private final double periodNanos;
    private long nextIndex;

    RateSchedule(long originNanos, double periodNanos) {
        if (!(periodNanos > 0) || Double.isInfinite(periodNanos)) {
            throw new IllegalArgumentException("period must be positive, got " + periodNanos);
        }
        this.originNanos = originNanos;
        this.periodNanos = periodNanos;
    }

    /** Connection {@code index} of {@code connections} sharing {@code ratePerSecond} requests/s from {@code start}. */
    static RateSchedule forConnection(long startNanos, double ratePerSecond, int connections, int index) {
        if (!(ratePerSecond > 0) || connections < 1 || index < 0 || index >= connections) {
            throw new IllegalArgumentException("rate " + ratePerSecond + ", connection " + index + " of " + connections);
        }
        double gap = 1e9 / ratePerSecond;
        return new RateSchedule(startNanos + Math.round(index * gap), gap * connections);
    }

    /** The intended time of slot {@code k}. */
    long timeOf(long k) {
        return originNanos + Math.round(k * periodNanos);
    }

    /** The intended time of the next slot not yet taken. */
    long nextTime() {
        return timeOf(nextIndex);
    }

    /** Takes the next slot and returns its intended time. */
    long take() {
        return timeOf(nextIndex++);
    }

    /** Skips the slots before {@code nanos} (a connection that was not yet open owes nothing for them). */
    void skipTo(long nanos) {
        nextIndex = Math.max(nextIndex, firstIndexAtOrAfter(nanos));
    }

    /** How many slots not yet taken have an intended time before {@code nanos}. */
    long countBefore(long nanos) {
        return Math.max(0, firstIndexAtOrAfter(nanos) - nextIndex);
    }

    /** How many slots not yet taken have an intended time in {@code [from, until)}. */
    long countBetween(long from, long until) {
        long first = Math.max(nextIndex, firstIndexAtOrAfter(from));
        return Math.max(0, firstIndexAtOrAfter(until) - first);
    }

    long nextIndex() {
        return nextIndex;
    }

    private long firstIndexAtOrAfter(long nanos) {
        if (nanos <= originNanos) {
            return 0;
        }
        long k = (long) Math.ceil((nanos - originNanos) / periodNanos);
        // Correct floating-point rounding at the edges so that timeOf(k) >= nanos > timeOf(k - 1).
        while (k > 0 && timeOf(k - 1) >= nanos) {
            k--;
        }
        while (timeOf(k) < nanos) {
            k++;
        }
        return k;
    }
}
