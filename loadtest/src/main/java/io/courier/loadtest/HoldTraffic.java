package io.courier.loadtest;

/**
 * Hold mode: each connection sends one {@code ping} every ping interval, jittered by up to 10% either way; the
 * first ping comes at a random point of the first interval, so the pings of many connections spread out.
 */
final class HoldTraffic implements Traffic {
    private final long intervalNanos;

    HoldTraffic(long intervalNanos) {
        this.intervalNanos = intervalNanos;
    }

    @Override
    public void onEstablished(LoadConnection connection, long now) {
        scheduleNext(connection, now + connection.random().nextLong(intervalNanos));
    }

    @Override
    public void onTimer(LoadConnection connection, long now) {
        if (connection.mayIssue(now)) {
            connection.issue(now);
            connection.flush();
        }
        double jitter = 0.9 + 0.2 * connection.random().nextDouble();
        scheduleNext(connection, now + (long) (intervalNanos * jitter));
    }

    private static void scheduleNext(LoadConnection connection, long at) {
        if (at < connection.sendLimitNanos()) {
            connection.scheduleTimer(at);
        }
    }
}
